/** The worker thread of LogTree (log-tree.ts): folds the pages it is sent, in order, and answers each. */
import { parentPort, workerData } from 'node:worker_threads';
import { TreeState, type LeafPage } from './log-tree';

const state = new TreeState(workerData as { second: boolean; rootsAt: number[] });

parentPort!.on('message', (message: LeafPage | 'finish') => {
  if (message === 'finish') {
    parentPort!.postMessage(state.result());
    return;
  }
  state.foldPage(message);
  parentPort!.postMessage(null);
});
