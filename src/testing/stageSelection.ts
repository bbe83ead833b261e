/**
 * Which stages a run covers, and the test command that runs only those. The course's projects
 * name every test after its stage (`stage3_…` functions in Rust, `@moduletag stage: 3` and
 * `describe "stage 3: …"` in ExUnit), which is what makes a stage runnable on its own.
 */
export type StageMode = 'current' | 'upToCurrent' | 'all';

/** The stage the learner is working on: the first that has not passed yet (1-based). */
export function currentStage(stagesPassed: number | undefined, stagesTotal: number): number {
  return Math.min(Math.max(1, (stagesPassed ?? 0) + 1), Math.max(1, stagesTotal));
}

export function stagesFor(mode: StageMode, current: number, total: number): number[] {
  if (mode === 'all') return Array.from({ length: total }, (_, i) => i + 1);
  if (mode === 'current') return [current];
  return Array.from({ length: current }, (_, i) => i + 1);
}

/** Can this project's tests be run one stage at a time? */
export function canRunStages(testCommand: string): boolean {
  const command = testCommand.trim();
  return (/^cargo\s+test\b/.test(command) && !command.includes(' -- ')) || /^mix\s+test\b/.test(command);
}

/**
 * The command that runs the given stages. `cargo test` takes several name filters after `--`
 * (and `--no-fail-fast`, so a failing stage does not hide the results of the later test
 * files); `mix test` selects tagged modules with `--only stage:N`. Any other command, or a run
 * of every stage, is the project's own command.
 */
export function commandFor(testCommand: string, stages: readonly number[], total: number): string {
  const command = testCommand.trim();
  const partial = stages.length > 0 && stages.length < total && canRunStages(command);
  if (/^cargo\s+test\b/.test(command) && !command.includes(' -- ')) {
    const base = command.replace(/^cargo\s+test\b/, 'cargo test --no-fail-fast');
    return partial ? `${base} -- ${stages.map((n) => `stage${n}_`).join(' ')}` : base;
  }
  if (partial) return `${command} ${stages.map((n) => `--only stage:${n}`).join(' ')}`;
  return command;
}
