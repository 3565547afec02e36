import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The suite talks to real emulators over loopback and spawns the real CLI; give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // 2-core machines: a few workers keep spawned CLIs and emulators from starving each other.
    maxWorkers: 3,
    // The JSON report is where .ci/run reads the pass/fail counts from (DVAS_TEST_REPORT names
    // another file for its second run, on Node 24).
    reporters: ['default', ['json', { outputFile: process.env.DVAS_TEST_REPORT ?? '.vitest-report.json' }]],
  },
});
