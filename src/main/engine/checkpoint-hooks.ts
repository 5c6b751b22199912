/**
 * What a run needs from the checkpoint store (implemented in `src/main/checkpoints/`), so the loop
 * stays free of it. None of these throw or reject: a checkpoint that cannot be taken is recorded
 * as an unprotected step and the agent goes on.
 */
export interface RunCheckpoints {
  /**
   * Before a tool call that may change files: resolves once the workspace is checkpointed (the
   * call waits only for that, and for a checkpoint already in flight). `signal`: the run's; when
   * it aborts the wait ends (the call then does not run).
   */
  beforeTool(
    call: { id: string; name: string },
    anchorId: string,
    signal?: AbortSignal,
  ): Promise<void>
  /**
   * A step's tools have run: checkpoint in the background (never awaited by a model request) when
   * one of them may have changed files.
   */
  afterStep(anchorId: string): void
  /** Resolves when background checkpoints are recorded (so later entries follow them). */
  settled(): Promise<void>
  /** The run is over: a last checkpoint, recorded before the run's end. */
  finish(): Promise<void>
}

/** The session's side: one `RunCheckpoints` per run. */
export interface SessionCheckpoints {
  /** `turnId`: the prompt (`user_message` entry) the run answers, if any. */
  startRun(turnId: string | null): RunCheckpoints
}
