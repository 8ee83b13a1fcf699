-- Joins: co-located on the shard key, not on the shard key, with broadcast and
-- single tables, across schemas (account shares trade's vpart map; app is on g1).
-- Values: 1 -> 344 (g0), 2 -> 788 (g1), 3 -> 240 (g0), 5 -> 626 (g1), 42 -> 401 (g0).

-- @ co-located join on buyer_id, one group
SELECT * FROM orders o JOIN order_items i ON o.buyer_id = i.buyer_id WHERE o.buyer_id = 42

-- @ co-located join, the key on the other table
SELECT * FROM orders o JOIN order_items i ON i.buyer_id = o.buyer_id WHERE i.buyer_id = 2

-- @ co-located join plus another join condition, no key: every group
SELECT * FROM orders o JOIN order_items i ON i.buyer_id = o.buyer_id AND i.order_id = o.id

-- @ co-located join with USING
SELECT * FROM orders JOIN order_items USING (buyer_id) WHERE order_items.buyer_id = 5

-- @ co-located comma join, key in WHERE
SELECT * FROM orders o, order_items i WHERE o.buyer_id = i.buyer_id AND i.buyer_id = 3

-- @ co-located join with an IN list: cut per group
SELECT o.id, i.sku FROM orders o JOIN order_items i ON o.buyer_id = i.buyer_id WHERE o.buyer_id IN (1, 2)

-- @ co-located LEFT JOIN, no key: every group
SELECT * FROM orders o LEFT JOIN order_items i ON o.buyer_id = i.buyer_id

-- @ co-located join, ORDER BY on one group
SELECT o.id FROM orders o JOIN order_items i ON o.buyer_id = i.buyer_id WHERE o.buyer_id = 42 ORDER BY o.id LIMIT 5

-- @ co-located join, GROUP BY across groups: refused
SELECT o.id, COUNT(*) FROM orders o JOIN order_items i ON o.buyer_id = i.buyer_id GROUP BY o.id

-- @ co-located join, contradictory keys
SELECT * FROM orders o JOIN order_items i ON o.buyer_id = i.buyer_id WHERE o.buyer_id = 1 AND i.buyer_id = 2

-- @ join not on the shard key: refused
SELECT * FROM orders o JOIN order_items i ON o.id = i.order_id

-- @ join not on the shard key, both pinned to the same vpart
SELECT * FROM orders o JOIN order_items i ON o.id = i.order_id WHERE o.buyer_id = 42 AND i.buyer_id = 42

-- @ join not on the shard key, both pinned to g0 (different vparts)
SELECT * FROM orders o JOIN order_items i ON o.id = i.order_id WHERE o.buyer_id = 1 AND i.buyer_id = 3

-- @ join not on the shard key, pinned to different groups: refused
SELECT * FROM orders o JOIN order_items i ON o.id = i.order_id WHERE o.buyer_id = 1 AND i.buyer_id = 2

-- @ join on the shard key of one side only: refused
SELECT * FROM orders o JOIN order_items i ON o.buyer_id = i.order_id

-- @ join with the broadcast merchants, one group
SELECT o.id, m.name FROM orders o JOIN merchants m ON m.id = o.merchant_id WHERE o.buyer_id = 2

-- @ join with the broadcast merchants, every group
SELECT o.id, m.name FROM orders o JOIN merchants m ON m.id = o.merchant_id

-- @ three tables: co-located pair plus broadcast
SELECT * FROM orders o JOIN order_items i ON i.buyer_id = o.buyer_id JOIN merchants m ON m.id = o.merchant_id WHERE o.buyer_id = 42

-- @ broadcast tables only: one group
SELECT * FROM merchants m1 JOIN merchants m2 ON m2.parent_id = m1.id

-- @ broadcast with single notes: g0
SELECT * FROM merchants m JOIN notes n ON n.merchant_id = m.id

-- @ single notes with a sharded table on g0
SELECT * FROM orders o JOIN notes n ON n.order_id = o.id WHERE o.buyer_id = 42

-- @ single notes with a table without a rule: refused, 1146
SELECT * FROM notes n JOIN invoices v ON v.id = n.id

-- @ cross-schema co-located join (account.accounts has the same vpart map)
SELECT * FROM orders o JOIN account.accounts a ON a.user_id = o.buyer_id WHERE o.buyer_id = 42

-- @ cross-schema co-located join, no key: every group
SELECT * FROM orders o JOIN account.accounts a ON a.user_id = o.buyer_id

-- @ cross-schema join with a string key: refused
SELECT * FROM orders o JOIN account.ledger l ON l.account_id = o.buyer_id

-- @ cross-schema join with the unsharded app (g1), sharded rows on g1
SELECT * FROM orders o JOIN app.profiles p ON p.user_id = o.buyer_id WHERE o.buyer_id = 2

-- @ app (g1) with an undeclared schema (g0): refused
SELECT * FROM app.profiles p JOIN shop.items s ON s.id = p.item_id

-- @ app table with trade's broadcast merchants, from app: g1
-- schema: app
SELECT * FROM profiles p JOIN trade.merchants m ON m.id = p.merchant_id

-- @ from account: co-located with trade.orders, key on accounts
-- schema: account
SELECT * FROM accounts a JOIN trade.orders o ON o.buyer_id = a.user_id WHERE a.user_id = 5

-- @ from account: accounts with trade's broadcast merchants, one key
-- schema: account
SELECT * FROM accounts a JOIN trade.merchants m ON m.id = a.merchant_id WHERE a.user_id = 5

-- @ two unrelated sharded tables, both keys on g1
SELECT * FROM orders o, order_items i WHERE o.buyer_id = 2 AND i.buyer_id = 5
