import { randomUUID } from 'node:crypto';
import type { CliContext } from '../../../context.js';
import { DryRunStop } from '../../../dataverse/dry-run.js';
import { ErrorCode, isErrorCode } from '../../../dataverse/facts.js';
import { CliError } from '../../../errors.js';
import { singleLine } from '../../../output/columns.js';
import { ExitCode } from '../../../exit-codes.js';
import { resolveActingAs } from '../../../impersonation/acting-as.js';
import { diagnoseDenial } from '../../../access/diagnose-denial.js';
import { notApplied, whoElseRanIt } from '../../../impersonation/not-applied.js';
import { readCreatedBy } from '../../../impersonation/read-back.js';
import { identify, type DataverseSession, type SignedInIdentity } from '../../../impersonation/session.js';
import { inShard, shardText, type BulkSettings } from './bulk-flags.js';
import type { BulkInput } from './bulk-input.js';
import { BulkEngine } from './bulk-engine.js';
import { checkInput, Problems, type InputCheck } from './check-input.js';
import { derivedId } from './derived-id.js';
import { printDryRun } from './dry-run-plan.js';
import { describePosition, positionKindOf } from './input-row.js';
import type { PendingRow } from './pending-row.js';
import { Progress } from './progress.js';
import { CsvSyntaxError } from './readers/csv-rows.js';
import { NO_JOURNAL, ReportFile, type ReportHeader, type RunJournal } from './report-file.js';
import { ResumeState } from './report-resume.js';
import { RowChecker } from './row-check.js';
import { RowUsers, type RowUser } from './row-users.js';
import { summarize, summaryText } from './summary.js';
import { readTable } from './table-columns.js';
import { UserLane } from './user-lane.js';

/** How the bulk run takes Ctrl+C over from main: stop sending, finish what is in flight, report. */
export interface InterruptControl {
  /** Main stops answering Ctrl+C with an immediate exit 130; the run handles it from now on. */
  takeOver(): void;
}

/**
 * `dvas create <table> --file rows.ndjson|csv|json` with many rows (docs/bulk-create.md): checks
 * the whole input, resolves each user once, then sends the rows in batches of one user each,
 * exactly once, with the report written as it goes and the summary at the end.
 */
export async function runBulkCreate(tableName: string, input: BulkInput, settings: BulkSettings, ctx: CliContext, interrupts: InterruptControl): Promise<void> {
  const started = ctx.clock.now();
  if (ctx.options.offline) {
    throw new DryRunStop(
      "Dry run (--offline): a bulk create's plan needs the table, its columns and the users from Dataverse, so nothing was sent and there is no plan; run without --offline to see it.",
    );
  }
  const caller = await ctx.dataverse();
  // The plan's reads (the table, its columns, the users) are lookups: under --dry-run they are
  // sent and announced like any command's, and anything else that went through this client would
  // be printed, never sent (docs/dry-run.md).
  const planner = caller.lookups();
  const resume = settings.resume ? await ResumeState.read(settings.resume) : undefined;
  // The table's lookups go out now; a file's first pass reads ahead while they are on their way.
  const tableLookup = readTable(planner, tableName, ctx);
  tableLookup.catch(() => undefined);
  const asUser = ctx.options.as;
  // --as is looked up beside the table: a run error (exit 6, 2 or 5) if it names no usable user.
  const defaultUser: Promise<RowUser | undefined> = asUser
    ? resolveActingAs(asUser, planner, { check: true }).then((actingAs) => ({ label: asUser.raw.trim(), actingAs }))
    : Promise.resolve(undefined);
  defaultUser.catch(() => undefined);
  const users = new RowUsers(planner, { check: true, defaultUser });
  const checked: InputCheck | undefined =
    input.rereadable || ctx.options.dryRun
      ? await checkInput(input, { table: tableLookup, asColumn: settings.asColumn, users, shard: settings.shard, keepFirst: ctx.options.dryRun ? settings.batchSize : 0 })
      : undefined;
  const { definition, columns } = await tableLookup;
  await defaultUser;
  const table = { entitySet: definition.EntitySetName, logicalName: definition.LogicalName, primaryId: definition.PrimaryIdAttribute };
  if (resume) checkResumable(resume.header, table.logicalName, shardText(settings.shard), settings.resume ?? '');
  if (resume && resume.header.input !== input.label) {
    // Positions name rows of the input the report was written for: another file would mix them up.
    ctx.messages.warn(`The report ${settings.resume ?? ''} is of a run of ${JSON.stringify(resume.header.input)}, and this input is ${JSON.stringify(input.label)}: resume with the same rows, in the same order.`);
  }
  const runId = resume?.header.runId ?? randomUUID();
  const kind = positionKindOf(input.format);

  if (ctx.options.dryRun && checked) {
    await printDryRun(ctx, { table, check: checked, batchSize: settings.batchSize, concurrency: settings.concurrency, dopHint: columns.dopHint, runId });
    return;
  }

  const header: ReportHeader = {
    report: 'dvas-create',
    version: 1,
    runId,
    table: table.logicalName,
    entitySet: table.entitySet,
    primaryId: table.primaryId,
    positions: kind,
    shard: shardText(settings.shard),
    input: input.label,
    startedAt: new Date(started).toISOString(),
  };
  const journal: RunJournal = settings.resume
    ? await ReportFile.append(settings.resume)
    : settings.report
      ? await ReportFile.create(settings.report, header)
      : NO_JOURNAL;

  const sender = await ctx.dataverse({ retry: { maxAttempts: 1 } });
  let identity: Promise<SignedInIdentity> | undefined;
  const signedIn = () => (identity ??= identify(caller));
  const lanes = new Map<RowUser, UserLane>();
  const laneFor = (user: RowUser): UserLane => {
    let lane = lanes.get(user);
    if (!lane) {
      const target = user.actingAs?.target;
      const session: DataverseSession = { client: target ? caller.actingAs(target) : caller, caller, actingAs: user.actingAs, signedIn };
      lane = new UserLane(user, target ? sender.actingAs(target) : sender, session);
      lanes.set(user, lane);
    }
    return lane;
  };
  // Every user of the file has a line in the summary, in the order first met, rows never sent included.
  for (const user of checked?.perUser.keys() ?? []) laneFor(user);

  const progress = new Progress(ctx.clock, checked?.rows);
  const engine = new BulkEngine({
    table,
    batchSize: settings.batchSize,
    concurrency: settings.concurrency,
    initialHint: columns.dopHint,
    continueOnError: settings.continueOnError,
    clock: ctx.clock,
    journal,
    caller,
    onOutcome: () => progress.row(),
    onFallback: () => ctx.messages.note(`dvas: ${table.entitySet} does not take CreateMultiple; sending its rows one by one instead.`),
    checkProbe: (lane, row) => checkCreatedAs(ctx, lane, table.entitySet, row, kind),
    explainUserFailure: async (lane, error) => {
      // A privilege denial is diagnosed as in main's error path: the service's words, then who lacks what.
      const asUser = lane.user.actingAs?.asUser;
      const diagnosed =
        error instanceof CliError && (isErrorCode(error.code, ErrorCode.PrivilegeDenied) || isErrorCode(error.code, ErrorCode.CannotActOnBehalfOfAnotherUser))
          ? await diagnoseDenial(error, { dataverse: () => ctx.dataverse(), options: { as: asUser, diagnose: ctx.options.diagnose } })
          : undefined;
      const message = diagnosed?.message ?? (error instanceof Error ? error.message : String(error));
      ctx.messages.warn(`${lane.user.label ?? 'The signed-in identity'}: ${message} None of this user's rows can be created.`);
      const diagnosis = diagnosed?.diagnosis;
      if (diagnosis?.status === 'diagnosed') ctx.messages.note(diagnosis.lines.map((line, index) => `${index === 0 ? 'diagnosis: ' : '  '}${singleLine(line)}`).join('\n'));
      else if (diagnosis?.status === 'unavailable') ctx.messages.note(`diagnosis: ${singleLine(diagnosis.reason)}`);
      return { code: error instanceof CliError ? (error.code ?? null) : null, message };
    },
  });

  interrupts.takeOver();
  let interrupted = false;
  const onInterrupt = () => {
    if (interrupted) {
      // A second Ctrl+C: leave at once, as Node does by default.
      process.off('SIGINT', onInterrupt);
      process.kill(process.pid, 'SIGINT');
      return;
    }
    interrupted = true;
    ctx.messages.note('dvas: stopping: waiting for the requests in flight, then writing the report (Ctrl+C again to quit at once).');
    engine.stop();
  };
  process.on('SIGINT', onInterrupt);

  const showing = ctx.withSpinner(progress.line(true), (spinner) =>
    progress.show(spinner.visible ? spinner : undefined, (line) => void ctx.io.stderr.write(line)),
  );

  let skipped = 0;
  let rowsRead = 0;
  const streamProblems = new Problems();
  try {
    const checker = new RowChecker(columns, settings.asColumn, kind);
    for await (const row of input.rows()) {
      if (engine.stopping) break;
      if (row.cells && !checker.csvHeaderChecked) {
        for (const problem of checker.checkHeader(row.cells.keys())) streamProblems.add(kind, 1, problem);
      }
      const result = checker.check(row);
      const resolved = result.ok ? await users.resolve(result.row.user) : undefined;
      if (!result.ok || !resolved || 'problem' in resolved || streamProblems.count > 0) {
        // Only stdin gets here (a file was checked whole): its first bad row ends the reading;
        // the rows before it, checked already, are sent.
        if (!result.ok) streamProblems.add(kind, result.position, result.problem);
        else if (resolved && 'problem' in resolved) streamProblems.add(kind, row.position, resolved.problem);
        break;
      }
      if (!inShard(settings.shard, row.ordinal)) continue;
      rowsRead++;
      const recorded = resume?.get(row.position);
      if (recorded === 'created' || recorded === 'existed') {
        skipped++;
        progress.row();
        continue;
      }
      const { record, givenId } = result.row;
      const id = givenId ?? derivedId(runId, row.position);
      if (!givenId) record[table.primaryId] = id;
      const pending: PendingRow = { position: row.position, id, derived: givenId === undefined, record, user: resolved.user };
      await engine.add(laneFor(resolved.user), pending);
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) {
      engine.stop();
      await engine.finish();
      process.off('SIGINT', onInterrupt);
      progress.stop();
      await journal.close();
      throw error;
    }
    streamProblems.add(kind, error.line, `${error.message.replace(/\.$/, '')}; the input cannot be read past it`);
  }
  try {
    await engine.finish();
  } finally {
    process.off('SIGINT', onInterrupt);
    progress.stop();
    await showing;
    await journal.close();
  }

  const summary = summarize({
    table: table.logicalName,
    entitySet: table.entitySet,
    runId,
    shard: shardText(settings.shard),
    report: settings.report ?? null,
    rows: checked?.rows ?? rowsRead,
    skipped,
    interrupted,
    elapsedMs: ctx.clock.now() - started,
    users: [...lanes.values()].map((lane) => ({
      user: lane.label,
      systemuserid: lane.user.actingAs?.user?.systemuserid ?? (lane.user.actingAs?.target.kind === 'systemuserid' ? lane.user.actingAs.target.systemUserId : null),
      counts: { ...lane.counts, rows: checked?.perUser.get(lane.user) ?? lane.counts.rows },
    })),
  });
  ctx.io.stderr.write(summaryText(summary));
  if (engine.fatal !== undefined) throw engine.fatal;
  if (streamProblems.count > 0) throw streamProblems.error(input.label, 'stopped');
  if (interrupted) throw new CliError(`Interrupted.${settings.report ? ` Continue with --resume ${settings.report}.` : ''}`, { exitCode: ExitCode.Interrupted });
  if (ctx.options.output === 'json' || ctx.options.output === 'ndjson') {
    ctx.io.stdout.write(ctx.options.output === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : `${JSON.stringify(summary)}\n`);
  }
  if (engine.anyFailed || summary.failed > 0) {
    if (summary.notSent > 0 && !settings.continueOnError) ctx.messages.hint('Without --continue-on-error the run stops at the first failed row; the rest were not sent.');
    ctx.setExitCode(ExitCode.PartialFailure);
  }
}

function checkResumable(header: ReportHeader, logicalName: string, shard: string | null, path: string): void {
  if (header.table !== logicalName) throw new CliError(`The report ${path} is of a run into ${header.table}, not ${logicalName}.`, { exitCode: ExitCode.Usage });
  if (header.shard !== shard) {
    throw new CliError(`The report ${path} is of ${header.shard ? `shard ${header.shard}` : 'a run without --shard'}: resume it with ${header.shard ? `--shard ${header.shard}` : 'no --shard'}.`, { exitCode: ExitCode.Usage });
  }
}

/**
 * The user's first row is read back before their other rows go: Dataverse can silently run a
 * create as the signed-in identity. A proven other creator stops the run (exit 8); a row that
 * cannot be read back is a warning, as for a single create.
 */
async function checkCreatedAs(ctx: CliContext, lane: UserLane, entitySet: string, row: PendingRow, kind: 'line' | 'row'): Promise<void> {
  const actingAs = lane.user.actingAs;
  if (!actingAs) return;
  const label = lane.user.label ?? '';
  let audit;
  try {
    audit = await readCreatedBy(lane.session, entitySet, row.id);
  } catch (error) {
    ctx.messages.warn(`Could not read ${entitySet}(${row.id}) back to check that it was created as ${label}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (!audit?.createdby) {
    ctx.messages.warn(`Could not check that ${entitySet}(${row.id}) was created as ${label}: Dataverse gave no createdby for it.`);
    return;
  }
  const ranAs = await whoElseRanIt({ ...lane.session, actingAs }, audit.createdby);
  if (ranAs) throw notApplied(`Dataverse created ${entitySet}(${row.id}) (${describePosition(kind, row.position)})`, ranAs, actingAs);
}

