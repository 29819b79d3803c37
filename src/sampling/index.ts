// The sampling context's published surface: what other folders may import.
export * from './sampling.module';
export * from './sampling.service';
export * from './sampling.registration';
export { CaseListIdParam, DrawSampleDto, ProgrammeIdParam as SampleProgrammeIdParam } from './sampling.dto';
