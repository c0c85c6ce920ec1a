// Preloaded into a host process by the e2e fixture (`node --require`) when a test names a date:
// the process's clock starts at HTMP_TEST_NOW and runs on from there. Timers are untouched, so
// the host behaves normally; only "now" moves. Never loaded by the app itself.
'use strict';
const target = Date.parse(process.env.HTMP_TEST_NOW || '');
if (Number.isFinite(target)) {
  const RealDate = Date;
  const offset = target - RealDate.now();
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
