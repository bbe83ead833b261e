import { startCourseCore, track, type CourseCore, type CoreHost } from './courseCore';
import { registerProjectCommands } from './projects/projectCommands';
import { registerStageCommands } from './projects/stageCommands';
import { CourseTests } from './testing/courseTests';
import { registerPracticeCommands } from './testing/practiceCommands';
import { WatchMode } from './testing/watchMode';

export type { CoreHost } from './courseCore';

/** The running course in the desktop (Node) extension host: what the activation entry forwards to, and what tests drive. */
export interface Core extends CourseCore {
  readonly tests: CourseTests;
  readonly watch: WatchMode;
}

/**
 * Builds the course once, on first use: the part every host shares (courseCore.ts), then the
 * projects, which need Node, a terminal and the learner's toolchain: scaffolding, test runs,
 * the Testing view, watch mode, hints and stage resets. Wiring only; every part is its own module.
 */
export async function startCore(host: CoreHost): Promise<Core> {
  const core = await startCourseCore(host);
  const { context } = host;
  const { model, store, commands } = core;
  context.subscriptions.push(...registerProjectCommands({ context, model, store, openReflection: (id) => core.reflections().show(id), commands }));

  // The Testing view lists the course projects open in this window; reading their markers is
  // cheap, and their tests are only read when a project is expanded or run.
  const tests = track(context, new CourseTests(model, store));
  void tests.refresh();
  const watch = track(context, new WatchMode(tests));
  context.subscriptions.push(
    ...registerPracticeCommands({ model, store, tests, watch, commands }),
    ...registerStageCommands({ model, store, commands, onFilesChanged: (folder) => void tests.reread(folder) }),
  );

  return { ...core, tests, watch };
}
