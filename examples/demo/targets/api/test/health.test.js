const test = require('node:test');
const assert = require('node:assert');
const health = require('../src/health');

test('health answers ok', () => {
  assert.deepStrictEqual(health(), { ok: true });
});
