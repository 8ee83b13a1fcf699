-- UPDATE and DELETE: by key, by IN list, without key (writes on every group),
-- the shard key changed (refused), broadcast and single tables.
-- Values: 1 -> 344 (g0), 2 -> 788 (g1), 3 -> 240 (g0), 5 -> 626 (g1), 42 -> 401 (g0).

-- @ UPDATE by key
UPDATE orders SET status = 'paid' WHERE buyer_id = 42

-- @ UPDATE by key on g1
UPDATE orders SET status = 'paid', amount = amount + 1 WHERE buyer_id = 2 AND id = 7

-- @ UPDATE with an IN list across groups: cut per group
UPDATE orders SET status = 'paid' WHERE buyer_id IN (1, 2, 3, 5)

-- @ UPDATE without key: every group
UPDATE orders SET status = 'expired' WHERE created < '2020-01-01'

-- @ UPDATE without WHERE: every group
UPDATE orders SET status = 'x'

-- @ UPDATE ... ORDER BY LIMIT on one group
UPDATE orders SET status = 'x' WHERE buyer_id = 42 ORDER BY id LIMIT 1

-- @ UPDATE by a never-equal key
UPDATE orders SET status = 'x' WHERE buyer_id = NULL

-- @ UPDATE of the shard key: refused
UPDATE orders SET buyer_id = 3 WHERE buyer_id = 42

-- @ UPDATE of the shard key through an alias: refused
UPDATE orders o SET o.buyer_id = 3 WHERE o.id = 1

-- @ multi-table UPDATE, co-located, one group
UPDATE orders o JOIN order_items i ON i.buyer_id = o.buyer_id SET i.qty = 0 WHERE o.buyer_id = 2

-- @ multi-table UPDATE of a sharded table reading broadcast merchants: every group
UPDATE orders o JOIN merchants m ON m.id = o.merchant_id SET o.status = 'x' WHERE m.name = 'acme'

-- @ multi-table UPDATE changing the shard key of the joined table: refused
UPDATE orders o JOIN order_items i ON i.buyer_id = o.buyer_id SET i.buyer_id = 9 WHERE o.buyer_id = 2

-- @ UPDATE of the broadcast merchants: every group
UPDATE merchants SET name = 'acme' WHERE id = 1

-- @ UPDATE of broadcast merchants reading a sharded table: refused
UPDATE merchants m JOIN orders o ON o.merchant_id = m.id SET m.name = 'x' WHERE o.buyer_id = 2

-- @ UPDATE of the single notes: g0
UPDATE notes SET body = 'x' WHERE id = 1

-- @ UPDATE with a user variable on g1: refused
UPDATE orders SET status = @s WHERE buyer_id = 2

-- @ UPDATE with a user variable on g0
UPDATE orders SET status = @s WHERE buyer_id = 42

-- @ UPDATE with a subquery over every group: refused
UPDATE orders SET status = 'x' WHERE id IN (SELECT order_id FROM order_items WHERE qty = 0)

-- @ UPDATE from the unsharded app of a qualified sharded table
-- schema: app
UPDATE trade.orders SET status = 'x' WHERE buyer_id = 5

-- @ DELETE by key
DELETE FROM orders WHERE buyer_id = 2

-- @ DELETE by key and id
DELETE FROM orders WHERE buyer_id = 42 AND id = 7

-- @ DELETE with an IN list across groups: cut per group
DELETE FROM orders WHERE buyer_id IN (5, 3, 2, 1)

-- @ DELETE without key: every group
DELETE FROM orders WHERE status = 'expired'

-- @ DELETE without WHERE: every group
DELETE FROM orders

-- @ DELETE ... LIMIT on one group
DELETE FROM orders WHERE buyer_id = 5 LIMIT 100

-- @ multi-table DELETE, co-located, one group
DELETE o, i FROM orders o JOIN order_items i ON i.buyer_id = o.buyer_id WHERE o.buyer_id = 42

-- @ multi-table DELETE, co-located, every group
DELETE i FROM orders o JOIN order_items i ON i.buyer_id = o.buyer_id WHERE o.status = 'x'

-- @ DELETE from the broadcast merchants: every group
DELETE FROM merchants WHERE id = 1

-- @ DELETE from the single notes: g0
DELETE FROM notes WHERE id = 1

-- @ DELETE of sharded rows by a broadcast lookup: every group
DELETE o FROM orders o JOIN merchants m ON m.id = o.merchant_id WHERE m.closed = 1

-- @ DELETE from an unsharded app table
-- schema: app
DELETE FROM profiles WHERE user_id = 1

-- @ DELETE ... RETURNING on one group
DELETE FROM orders WHERE buyer_id = 2 RETURNING id

-- @ DELETE from the broadcast merchants by a subquery on a sharded table: refused
DELETE FROM merchants WHERE id IN (SELECT merchant_id FROM orders)

-- @ UPDATE ... LIMIT across groups: refused
UPDATE orders SET status = 'x' WHERE id = 10 LIMIT 1

-- @ DELETE ... ORDER BY LIMIT across groups: refused
DELETE FROM orders WHERE created < '2020-01-01' ORDER BY id LIMIT 100

-- @ multi-table UPDATE, unqualified assignment to a column of the broadcast merchants
UPDATE orders o JOIN merchants m ON m.id = o.merchant_id SET name = 'x' WHERE o.status = 'y'

-- @ DELETE ... RETURNING across groups: each group answers with rows (concatenate)
DELETE FROM orders WHERE status = 'x' RETURNING id

-- @ UPDATE of the broadcast merchants from a user variable: refused
UPDATE merchants SET name = @n WHERE id = 1

-- @ UPDATE by key to g1 reading LAST_INSERT_ID() after a statement on g0
-- last_group: g0
UPDATE orders SET parent_id = LAST_INSERT_ID() WHERE buyer_id = 2
