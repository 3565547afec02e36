// Checked by `npm run typecheck`, never run: the hand-written declaration of `dvas/emulator`
// (types/emulator.d.ts, found through package.json "exports" as a user's TypeScript finds it)
// against the real module. A line here fails to compile when the two part ways.
import type * as Declared from 'dvas/emulator';
import type * as Real from '../../src/emulator/index.js';

type Holds<T extends true> = T;
type Same<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : false;

// Every option a user may pass is one the real startEmulator accepts, and none it accepts is undeclared.
export type OptionsAccepted = Holds<Declared.StartEmulatorOptions extends Real.StartEmulatorOptions ? true : false>;
export type NoOptionUndeclared = Holds<Same<keyof Declared.StartEmulatorOptions, keyof Real.StartEmulatorOptions>>;
// What the real startEmulator gives has every member the declaration promises, typed as declared.
export type EmulatorAsDeclared = Holds<Real.RunningEmulator extends Declared.RunningEmulator ? true : false>;
export type StartAsDeclared = Holds<typeof Real.startEmulator extends typeof Declared.startEmulator ? true : false>;
export type MsalAsDeclared = Holds<typeof Real.emulatorMsalAuthority extends typeof Declared.emulatorMsalAuthority ? true : false>;
export type DemoAppAsDeclared = Holds<typeof Real.DEMO_APP extends typeof Declared.DEMO_APP ? true : false>;
export type SeedErrorAsDeclared = Holds<typeof Real.SeedError extends typeof Declared.SeedError ? true : false>;
export type FaultSpecErrorAsDeclared = Holds<typeof Real.FaultSpecError extends typeof Declared.FaultSpecError ? true : false>;
// A seed a user writes against the declaration is one the real loader takes, and the other way round.
export type SeedAsDeclared = Holds<Declared.SeedDocument extends Real.SeedDocument ? (Real.SeedDocument extends Declared.SeedDocument ? true : false) : false>;
export type FaultsAsDeclared = Holds<Declared.FaultOptions extends Real.FaultOptions ? (Real.FaultOptions extends Declared.FaultOptions ? true : false) : false>;
// The values the module exports are the ones declared, no more and no fewer.
export type ValuesDeclared = Holds<Same<keyof typeof Declared, keyof typeof Real>>;
// A running emulator has no member beyond the declaration but its internals (`core`, for dvas's own
// tests): a new member is declared, or it fails here.
export type NoMemberUndeclared = Holds<Same<Exclude<keyof Real.RunningEmulator, keyof Declared.RunningEmulator>, 'core'>>;
