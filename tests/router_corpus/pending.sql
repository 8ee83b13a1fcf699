-- Known planner bugs: entries whose plan today is wrong or whose refusal message is
-- unclear (tests/router_corpus/README.md, "Review log", lists every bug B1..B24).
-- NOT run by router_planner_test (the golden files hold only reviewed, correct plans).
-- Each entry: "-- bug:" its bug and the file it came from, "-- gives:" the plan at
-- review time, "-- want:" what a single MariaDB holding all rows needs. When a bug is
-- fixed, move its entries back to their file, regenerate, and review.

-- @ user variable reading only trade's broadcast merchants, from app (g1 holds a copy)
-- bug: B17 (was select.sql)
-- gives: refuse 1235: shardproxy: user variables live on the session's first group g1 only; this statement uses one and runs on group g0. Use a literal or a bound parameter instead
-- want: g1 (the session's first group holds a copy of the broadcast table)
-- schema: app
SELECT * FROM trade.merchants WHERE id = @m

-- @ single notes (g0) with a sharded table on g1: refused
-- bug: B12 (was join.sql)
-- gives: refuse 1235: shardproxy: a join of a sharded table with a table on group g0 whose rows are on other groups is not supported
-- want: refusal naming the tables and groups, e.g. "orders (rows on g1) joined with notes, which lives on g0 only: a cross-group join is not supported"
SELECT * FROM orders o JOIN notes n ON n.order_id = o.id WHERE o.buyer_id = 2

-- @ single notes with a sharded table on every group: refused
-- bug: B12 (was join.sql)
-- gives: refuse 1235: shardproxy: a join of a sharded table with a table that lives on group g0 only reaches rows on other groups too; not supported
-- want: refusal naming the tables, e.g. "orders (rows on every group) joined with notes, which lives on g0 only ..."
SELECT * FROM orders o JOIN notes n ON n.order_id = o.id

-- @ cross-schema join with the unsharded app (g1), sharded rows on g0: refused
-- bug: B12 (was join.sql)
-- gives: refuse 1235: shardproxy: a join of a sharded table with a table on group g1 whose rows are on other groups is not supported
-- want: refusal naming orders (rows on g0) and app.profiles (g1 only)
SELECT * FROM orders o JOIN app.profiles p ON p.user_id = o.buyer_id WHERE o.buyer_id = 42

-- @ INSERT ... SELECT into single notes from sharded rows on g0
-- bug: B15 (was insert.sql)
-- gives: refuse 1235: shardproxy: INSERT ... SELECT reading a table on another group (trade.orders) is not supported
-- want: g0 writes (the SELECT reads vpart 401, on g0 = notes' group), or a refusal that does not say "another group"
INSERT INTO notes (id, body) SELECT id, status FROM orders WHERE buyer_id = 42

-- @ INSERT ... SELECT in app from trade's sharded orders: refused
-- bug: B15 (was insert.sql)
-- gives: refuse 1235: shardproxy: INSERT ... SELECT reading a table on another group (trade.orders) is not supported
-- want: g1 writes (buyer 2 is on g1 = app's group), or a refusal that does not say "another group"
-- schema: app
INSERT INTO profiles (user_id) SELECT buyer_id FROM trade.orders WHERE buyer_id = 2

-- @ LOCK TABLES of a trade table from app: refused
-- bug: B19, the schema part (was session.sql)
-- gives: refuse 1235: shardproxy: LOCK TABLES is not supported in a sharded schema yet
-- want: "LOCK TABLES of trade.orders (sharded schema trade) is not supported" (the current schema app is not sharded)
-- schema: app
LOCK TABLES trade.orders READ

-- @ RENAME TABLE of the sharded orders into the unsharded app (on g1 only)
-- bug: B23 (new, for ddl.sql)
-- gives: route g0 all; g1 all (writes), effect rename_table trade.orders
-- want: refusal: the new name's schema app lives on g1 only, so the RENAME fails on g0 after succeeding on g1 (and the rule would move into an unsharded schema); rename a sharded table only within its schema (or one with the same groups and map)
RENAME TABLE orders TO app.orders

-- @ ALTER TABLE ... RENAME of the sharded orders into the unsharded app
-- bug: B23 (new, for ddl.sql; refused before the B7 fix)
-- gives: route g0 all; g1 all (writes), effect rename_table trade.orders
-- want: refusal, as RENAME TABLE orders TO app.orders
ALTER TABLE orders RENAME TO app.orders

-- @ SELECT Get_Lock (mixed case) in a sharded schema
-- bug: B22 (new, for select.sql)
-- gives: route g0 all (reason "no sharded table")
-- want: refused like SELECT GET_LOCK('job', 10): function names are case-insensitive, the check matches only GET_LOCK and get_lock
SELECT Get_Lock('job', 10)

-- @ DO Get_Lock (mixed case) in a sharded schema
-- bug: B22 (new, for select.sql)
-- gives: route g0 all (reason "no sharded table")
-- want: refused like DO GET_LOCK('job', 10)
DO Get_Lock('job', 10)

-- @ UNION whose first block is a cross-group join
-- bug: B24 (new, for select.sql; message since the B13 fix)
-- gives: refuse 1235: shardproxy: UNION/INTERSECT/EXCEPT over several groups needs a merge of their results, which is not supported yet
-- want: the join refusal the block gets alone ("the sharded tables orders and order_items are not joined on their shard keys ..."): a merge of the UNION would not make it work
SELECT o.id FROM orders o JOIN order_items i ON i.id = o.id WHERE o.buyer_id = 1 UNION SELECT 1
