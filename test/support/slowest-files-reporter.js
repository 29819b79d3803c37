/**
 * Jest reporter: after the run, the slowest test files (so the suite's cost stays visible in every
 * CI log) and a plain closing line "N passed, N failed" that counts tests.
 */
class SlowestFilesReporter {
  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((r) => ({
        file: r.testFilePath.replace(`${process.cwd()}/`, ''),
        seconds: (r.perfStats.end - r.perfStats.start) / 1000,
      }))
      .sort((a, b) => b.seconds - a.seconds);
    const total = files.reduce((sum, f) => sum + f.seconds, 0);
    console.log(`\nSlowest test files (of ${files.length}, ${Math.round(total)} s in all):`);
    for (const f of files.slice(0, 10)) console.log(`  ${f.seconds.toFixed(1).padStart(7)} s  ${f.file}`);
    const skipped = results.numPendingTests + results.numTodoTests;
    console.log(
      `\nTests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
    );
  }
}
module.exports = SlowestFilesReporter;
