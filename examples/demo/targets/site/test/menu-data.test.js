const test = require('node:test');
const assert = require('node:assert');
const menu = require('../site/menu.json');

test('every menu item has a name and a price', () => {
  for (const item of menu) {
    assert.ok(item.name, 'name');
    assert.ok(item.price > 0, `price of ${item.name}`);
  }
});
