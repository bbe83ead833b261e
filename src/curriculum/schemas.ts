import Ajv, { type ValidateFunction } from 'ajv';
import courseSchema from '../../curriculum/schemas/course.schema.json';
import moduleSchema from '../../curriculum/schemas/module.schema.json';
import projectSchema from '../../curriculum/schemas/project.schema.json';
import quizSchema from '../../curriculum/schemas/quiz.schema.json';

/**
 * The same JSON Schemas that VS Code uses for editing (`contributes.jsonValidation`) are the
 * validator's source of truth, so authoring help and validation can never disagree.
 */
export interface Validators {
  course: ValidateFunction;
  module: ValidateFunction;
  project: ValidateFunction;
  quiz: ValidateFunction;
}

let cached: Validators | undefined;

export function schemaValidators(): Validators {
  if (!cached) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    cached = {
      course: ajv.compile(courseSchema),
      module: ajv.compile(moduleSchema),
      project: ajv.compile(projectSchema),
      quiz: ajv.compile(quizSchema),
    };
  }
  return cached;
}
