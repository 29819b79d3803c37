import { IsInt, IsString, MetadataStorage, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

describe('cacheValidationMetadata (each DTO class’s rules worked out once)', () => {
  const problems = (target: object): string[] => validateSync(target).flatMap((e) => Object.keys(e.constraints ?? {}));

  it('answers the same rules, inherited ones included, from the second validation on', () => {
    cacheValidationMetadata();
    class Base {
      @IsString() name: unknown = 1;
    }
    class Child extends Base {
      @IsInt() count: unknown = 'x';
    }
    expect(problems(new Child()).sort()).toEqual(['isInt', 'isString']);
    expect(problems(new Child()).sort()).toEqual(['isInt', 'isString']);
    expect(problems(new Base())).toEqual(['isString']);
  });

  it('forgets what it kept when a rule is added later, so the new rule applies', () => {
    cacheValidationMetadata();
    class Late {
      @IsString() name: unknown = 'ok';
      count: unknown = 'x';
    }
    expect(problems(new Late())).toEqual([]);
    IsInt()(Late.prototype, 'count');
    expect(problems(new Late())).toEqual(['isInt']);
  });

  it('works the rules out once per class and options', () => {
    const storage = new MetadataStorage();
    const walk = jest.spyOn(storage, 'getTargetValidationMetadatas');
    cacheValidationMetadata(storage);
    class Dto {}
    const first = storage.getTargetValidationMetadatas(Dto, '', false, false);
    expect(storage.getTargetValidationMetadatas(Dto, '', false, false)).toBe(first);
    storage.getTargetValidationMetadatas(Dto, '', true, false);
    expect(walk).toHaveBeenCalledTimes(2);
  });
});
