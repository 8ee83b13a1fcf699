-- INSERT and REPLACE: single rows, multi-row VALUES split per group by position,
-- ON DUPLICATE KEY UPDATE, missing / NULL / DEFAULT keys (1364), no column list,
-- INSERT ... SET, INSERT ... SELECT, broadcast and single targets.
-- Values: 1 -> 344 (g0), 2 -> 788 (g1), 3 -> 240 (g0), 5 -> 626 (g1), 7 -> 506 (g0),
-- 8 -> 1002 (g1), 42 -> 401 (g0).

-- @ single row on g0
INSERT INTO orders (id, buyer_id, status) VALUES (1, 42, 'new')

-- @ single row on g1
INSERT INTO orders (id, buyer_id) VALUES (10, 2)

-- @ key first, as a string
INSERT INTO orders (buyer_id, id) VALUES ('42', 11)

-- @ negative key
INSERT INTO orders (id, buyer_id) VALUES (12, -7)

-- @ decimal literal with a zero fraction
INSERT INTO orders (id, buyer_id) VALUES (13, 42.0)

-- @ key out of the signed BIGINT range: refused (1264)
INSERT INTO orders (id, buyer_id) VALUES (14, 18446744073709551615)

-- @ key 4.5 into an integer column: refused
INSERT INTO orders (id, buyer_id) VALUES (15, 4.5)

-- @ key '42abc': refused
INSERT INTO orders (id, buyer_id) VALUES (16, '42abc')

-- @ multi-row, all rows on g0: sent unchanged
INSERT INTO orders (id, buyer_id) VALUES (1, 1), (3, 3), (7, 7)

-- @ multi-row across groups: rows cut by position
INSERT INTO orders (id, buyer_id, status) VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c'), (4, 5, 'd')

-- @ multi-row across groups, ON DUPLICATE KEY UPDATE kept on each
INSERT INTO orders (id, buyer_id, status) VALUES (1, 1, 'a'), (2, 2, 'b') ON DUPLICATE KEY UPDATE status = VALUES(status)

-- @ multi-row across groups, quotes, parentheses and commas inside strings
INSERT INTO orders (id, buyer_id, note) VALUES (1, 2, 'it''s (a), b'), (2, 1, 'x\')y'), (3, 8, "q\"(")

-- @ multi-row across groups, no blanks, expressions in other columns
INSERT INTO orders(id,buyer_id,created) VALUES(1,2,NOW()),(2,3,CONCAT('a','(')),(3,5,DEFAULT)

-- @ multi-row across groups, one row per line
INSERT INTO orders (id, buyer_id)
VALUES
  (1, 1),
  (2, 2),
  (3, 3)

-- @ multi-row across groups with a comment between rows
INSERT INTO orders (id, buyer_id) VALUES (1, 1) /* first */, (2, 2)

-- @ multi-row, one row with a NULL key: refused (1364)
INSERT INTO orders (id, buyer_id) VALUES (1, 1), (2, NULL)

-- @ NULL key: refused (1364)
INSERT INTO orders (id, buyer_id) VALUES (1, NULL)

-- @ missing key column: refused (1364)
INSERT INTO orders (id, status) VALUES (1, 'x')

-- @ DEFAULT key: refused (1364)
INSERT INTO orders (id, buyer_id) VALUES (1, DEFAULT)

-- @ key as an expression: refused
INSERT INTO orders (id, buyer_id) VALUES (1, 1 + 1)

-- @ key from a user variable: refused
INSERT INTO orders (id, buyer_id) VALUES (1, @b)

-- @ user variable in another column, row on g0
INSERT INTO orders (id, buyer_id, status) VALUES (1, 42, @s)

-- @ user variable in another column, row on g1: refused
INSERT INTO orders (id, buyer_id, status) VALUES (1, 2, @s)

-- @ no column list: refused
INSERT INTO orders VALUES (1, 42, 'x')

-- @ INSERT ... SET on g1
INSERT INTO orders SET id = 1, buyer_id = 2, status = 'new'

-- @ INSERT ... SET without the key: refused (1364)
INSERT INTO orders SET id = 1, status = 'new'

-- @ INSERT ... SET with a NULL key: refused (1364)
INSERT INTO orders SET id = 1, buyer_id = NULL

-- @ ON DUPLICATE KEY UPDATE of the shard key: refused
INSERT INTO orders (id, buyer_id) VALUES (1, 42) ON DUPLICATE KEY UPDATE buyer_id = 43

-- @ INSERT IGNORE across groups
INSERT IGNORE INTO orders (id, buyer_id) VALUES (1, 1), (2, 2)

-- @ INSERT ... SELECT into a sharded table from a co-located one, one key: g0 only
INSERT INTO orders (id, buyer_id) SELECT order_id, buyer_id FROM order_items WHERE buyer_id = 42

-- @ INSERT ... SELECT co-located over every group: each group copies its own rows, writes
INSERT INTO orders (id, buyer_id, status) SELECT i.order_id, i.buyer_id, 'copied' FROM order_items i

-- @ INSERT ... SELECT co-located, IN list on both groups: cut per group
INSERT INTO orders (id, buyer_id) SELECT order_id, buyer_id FROM order_items WHERE buyer_id IN (1, 2)

-- @ INSERT ... SELECT co-located joining the broadcast merchants: every group
INSERT INTO orders (id, buyer_id) SELECT i.order_id, i.buyer_id FROM order_items i JOIN merchants m ON m.id = i.merchant_id

-- @ INSERT ... SELECT co-located across schemas with the same vpart map (account.accounts)
INSERT INTO orders (id, buyer_id) SELECT a.user_id, a.user_id FROM account.accounts a WHERE a.user_id = 2

-- @ INSERT ... SELECT with the key from another column: refused
INSERT INTO orders (id, buyer_id) SELECT buyer_id, order_id FROM order_items WHERE buyer_id = 42

-- @ INSERT ... SELECT with the key from an expression: refused
INSERT INTO orders (id, buyer_id) SELECT order_id, buyer_id + 1 FROM order_items WHERE buyer_id = 42

-- @ INSERT ... SELECT without a column list: refused
INSERT INTO orders SELECT * FROM order_items WHERE buyer_id = 42

-- @ INSERT ... SELECT co-located with an aggregate over several groups: refused (needs a merge)
INSERT INTO orders (id, buyer_id) SELECT MAX(order_id), buyer_id FROM order_items GROUP BY buyer_id

-- @ INSERT ... SELECT co-located with LIMIT over several groups: refused
INSERT INTO orders (id, buyer_id) SELECT order_id, buyer_id FROM order_items LIMIT 10

-- @ INSERT ... SELECT co-located with an aggregate on one group: g0
INSERT INTO orders (id, buyer_id) SELECT MAX(order_id), buyer_id FROM order_items WHERE buyer_id = 42 GROUP BY buyer_id

-- @ INSERT ... SELECT from a decimal-keyed table into a bigint key: refused (different key types)
INSERT INTO orders (id, buyer_id) SELECT 1, code FROM account.codes WHERE code = 1.5

-- @ INSERT ... SELECT into single notes from the broadcast merchants: g0
INSERT INTO notes (id, body) SELECT id, name FROM merchants

-- @ INSERT ... SELECT into broadcast merchants from single notes: refused
INSERT INTO merchants (id, name) SELECT id, body FROM notes

-- @ INSERT into the broadcast merchants: every group
INSERT INTO merchants (id, name) VALUES (1, 'acme'), (2, 'globex')

-- @ INSERT into the single notes: g0
INSERT INTO notes (id, body) VALUES (1, 'x')

-- @ INSERT into a table without a rule in trade: refused, 1146 (the proxy does not guess)
INSERT INTO invoices (id) VALUES (1)

-- @ REPLACE single row
REPLACE INTO orders (id, buyer_id) VALUES (1, 2)

-- @ REPLACE multi-row across groups
REPLACE INTO orders (id, buyer_id) VALUES (1, 1), (2, 2)

-- @ REPLACE into the broadcast merchants
REPLACE INTO merchants (id, name) VALUES (1, 'x')

-- @ REPLACE without the key: refused (1364)
REPLACE INTO orders (id) VALUES (1)

-- @ qualified sharded table from app
-- schema: app
INSERT INTO trade.orders (id, buyer_id) VALUES (1, 2)

-- @ qualified sharded table from app, split across groups
-- schema: app
INSERT INTO trade.orders (id, buyer_id) VALUES (1, 2), (2, 1)

-- @ INSERT into an app table
-- schema: app
INSERT INTO profiles (user_id, name) VALUES (1, 'x'), (2, 'y')

-- @ INSERT on the previous statement's group reading LAST_INSERT_ID()
-- last_group: g0
INSERT INTO order_items (buyer_id, order_id) VALUES (42, LAST_INSERT_ID())

-- @ INSERT on g1 reading LAST_INSERT_ID() after a statement on g0
-- last_group: g0
INSERT INTO order_items (buyer_id, order_id) VALUES (2, LAST_INSERT_ID())

-- @ INSERT into the broadcast merchants reading LAST_INSERT_ID() (every group)
-- last_group: g0
INSERT INTO merchants (id, name) VALUES (LAST_INSERT_ID(), 'x')

-- @ INSERT ... RETURNING across groups: each group's rows, result sets concatenated (B6 fixed)
INSERT INTO orders (id, buyer_id) VALUES (1, 1), (2, 2) RETURNING id
