/**
 * Gas bounds are measured on the code users deploy. `npm run coverage` sets COVERAGE=1 and instruments every
 * statement, which adds gas, so a test that asserts a gas bound skips itself there (it runs in `npm test`).
 */
export function skipUnderCoverage(context: Mocha.Context): void {
  if (process.env.COVERAGE === "1") context.skip();
}
