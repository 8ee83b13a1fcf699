-- Known planner bugs: entries whose plan today is wrong or whose refusal message is
-- unclear (tests/router_corpus/README.md, "Review log", lists every bug B1..B21).
-- NOT run by router_planner_test (the golden files hold only reviewed, correct plans).
-- Each entry: "-- bug:" its bug and the file it came from, "-- gives:" the plan at
-- review time, "-- want:" what a single MariaDB holding all rows needs. When a bug is
-- fixed, move its entries back to their file, regenerate, and review.

-- @ IN list with NULL and two groups
-- bug: B2 (was select.sql)
-- gives: route g0 [194, 344]; g1 [788] (concatenate)
-- want: g0 [344], g1 [788] (NULL never matches in IN: no vpart 194)
SELECT * FROM orders WHERE buyer_id IN (NULL, 1, 2)

-- @ IN list with NULL and one value on g1: NULL never matches in IN
-- bug: B2 (was select.sql)
-- gives: route g0 [194]; g1 [788] (concatenate)
-- want: g1 [788] only
SELECT * FROM orders WHERE buyer_id IN (NULL, 2)

-- @ IN list with NULL and one value on g1, ORDER BY: one group is enough
-- bug: B2 (was select.sql)
-- gives: refuse 1235: shardproxy: ORDER BY over several groups (g0, g1) needs a merge of their results, which is not supported yet; add a shard-key condition that selects one group
-- want: g1 [788], pushed down (one group)
SELECT * FROM orders WHERE buyer_id IN (NULL, 2) ORDER BY id

-- @ UNION across groups
-- bug: B13 (was select.sql)
-- gives: refuse 1235: shardproxy: the sharded tables orders and orders are not joined on their shard keys (and do not all resolve to one group): a cross-group join or subquery is not supported
-- want: refusal naming UNION ("UNION/INTERSECT/EXCEPT over several groups (g0, g1) needs a merge ...")
SELECT id FROM orders WHERE buyer_id = 1 UNION SELECT id FROM orders WHERE buyer_id = 2

-- @ UNION ALL of two scattered tables
-- bug: B13 (was select.sql)
-- gives: refuse 1235: shardproxy: the sharded tables orders and order_items are not joined on their shard keys (and do not all resolve to one group): a cross-group join or subquery is not supported
-- want: refusal naming UNION ALL (or: every group, concatenate - UNION ALL of per-group unions is the whole union)
SELECT id FROM orders UNION ALL SELECT id FROM order_items

-- @ DESCRIBE a sharded table
-- bug: B16 (was select.sql)
-- gives: route g0 all; g1 all (concatenate)
-- want: one group (g0, the schema's first group, like SHOW COLUMNS), no concatenate
DESCRIBE orders

-- @ row constructor IN across groups: each group must get its own rows
-- bug: B1 (was select.sql)
-- gives: route g0 [344] sql='SELECT * FROM orders WHERE (buyer_id, id) IN ((1, 20))'; g1 [788] sql='SELECT * FROM orders WHERE (buyer_id, id) IN ((2, 20))' (concatenate)
-- want: g0: ... IN ((1, 10)), g1: ... IN ((2, 20)) - or no rewrite (both groups, whole list)
SELECT * FROM orders WHERE (buyer_id, id) IN ((1, 10), (2, 20))

-- @ session-bound, pinned by key to g1 while the previous statement ran on g0
-- bug: B3 (was select.sql)
-- gives: route g1 [788]
-- want: refusal: LAST_INSERT_ID() must run on g0 (the previous statement's group) but the key pins g1
-- last_group: g0
SELECT * FROM orders WHERE buyer_id = 2 AND id = LAST_INSERT_ID()

-- @ user variable reading only trade's broadcast merchants, from app (g1 holds a copy)
-- bug: B17 (was select.sql)
-- gives: refuse 1235: shardproxy: user variables live on the session's first group g1 only; this statement uses one and runs on group g0. Use a literal or a bound parameter instead
-- want: g1 (the session's first group holds a copy of the broadcast table)
-- schema: app
SELECT * FROM trade.merchants WHERE id = @m

-- @ DO GET_LOCK in a sharded schema
-- bug: B18 (was select.sql)
-- gives: route g0 all
-- want: refused like SELECT GET_LOCK(...) in a sharded schema (or both allowed on the first group)
DO GET_LOCK('job', 10)

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

-- @ UPDATE ... LIMIT across groups: refused
-- bug: B14 (was dml.sql)
-- gives: refuse 1235: shardproxy: LIMIT over several groups (g0, g1) needs a merge of their results, which is not supported yet; add a shard-key condition that selects one group
-- want: the write-specific refusal: "UPDATE/DELETE with ORDER BY or LIMIT over several groups is not supported" (no results are merged for a write)
UPDATE orders SET status = 'x' WHERE id = 10 LIMIT 1

-- @ DELETE ... ORDER BY LIMIT across groups: refused
-- bug: B14 (was dml.sql)
-- gives: refuse 1235: shardproxy: ORDER BY over several groups (g0, g1) needs a merge of their results, which is not supported yet; add a shard-key condition that selects one group
-- want: the write-specific refusal (as above)
DELETE FROM orders WHERE created < '2020-01-01' ORDER BY id LIMIT 100

-- @ multi-table UPDATE, unqualified assignment to a column of the broadcast merchants
-- bug: B5 (was dml.sql)
-- gives: route g0 all; g1 all (writes)
-- want: refusal (an unqualified SET column in a multi-table UPDATE with a broadcast table: qualify it); today each group updates the merchants rows joined with its own orders: the copies diverge
UPDATE orders o JOIN merchants m ON m.id = o.merchant_id SET name = 'x' WHERE o.status = 'y'

-- @ DELETE ... RETURNING across groups: each group answers with rows
-- bug: B6 (was dml.sql)
-- gives: route g0 all; g1 all (writes)
-- want: writes + concatenate (each group returns a result set), or a refusal
DELETE FROM orders WHERE status = 'x' RETURNING id

-- @ UPDATE of the broadcast merchants from a user variable: refused
-- bug: B4 (was dml.sql)
-- gives: route g0 all; g1 all (writes)
-- want: refusal: @n exists on g0 only; g1 would store NULL (copies diverge)
UPDATE merchants SET name = @n WHERE id = 1

-- @ UPDATE by key to g1 reading LAST_INSERT_ID() after a statement on g0
-- bug: B3 (was dml.sql)
-- gives: route g1 [788] (writes)
-- want: refusal: LAST_INSERT_ID() is g0's, the row is on g1
-- last_group: g0
UPDATE orders SET parent_id = LAST_INSERT_ID() WHERE buyer_id = 2

-- @ INSERT ... RETURNING across groups
-- bug: B6 (was insert.sql)
-- gives: route g0 [344] sql='INSERT INTO orders (id, buyer_id) VALUES (1, 1) RETURNING id'; g1 [788] sql='INSERT INTO orders (id, buyer_id) VALUES (2, 2) RETURNING id' (writes)
-- want: writes + concatenate (each group returns a result set), or a refusal
INSERT INTO orders (id, buyer_id) VALUES (1, 1), (2, 2) RETURNING id

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

-- @ INSERT on g1 reading LAST_INSERT_ID() after a statement on g0
-- bug: B3 (was insert.sql)
-- gives: route g1 [788] (writes)
-- want: refusal: LAST_INSERT_ID() is g0's, the row goes to g1 (PlanInsert never looks at session_bound)
-- last_group: g0
INSERT INTO order_items (buyer_id, order_id) VALUES (2, LAST_INSERT_ID())

-- @ INSERT into the broadcast merchants reading LAST_INSERT_ID() (every group)
-- bug: B3 (was insert.sql)
-- gives: route g0 all; g1 all (writes)
-- want: refusal: each group would store its own LAST_INSERT_ID() (copies diverge)
-- last_group: g0
INSERT INTO merchants (id, name) VALUES (LAST_INSERT_ID(), 'x')

-- @ ALTER TABLE ... RENAME of a sharded table
-- bug: B7 (was ddl.sql)
-- gives: refuse 1235: shardproxy: a DDL statement naming tables that live on different groups; send one statement per table
-- want: every group (g0, g1), writes, effect rename_table trade.orders
ALTER TABLE orders RENAME TO orders_old

-- @ CREATE DATABASE of the sharded trade: every group
-- bug: B9 (was ddl.sql)
-- gives: route g0 all; g1 all
-- want: every group with writes: true (as the unsharded CREATE DATABASE and every other DDL)
CREATE DATABASE IF NOT EXISTS trade

-- @ DROP DATABASE of the sharded account
-- bug: B9 (was ddl.sql)
-- gives: route g0 all; g1 all
-- want: every group with writes: true
DROP DATABASE account

-- @ CREATE VIEW in a sharded schema: refused
-- bug: B19 (was ddl.sql)
-- gives: refuse 1235: shardproxy: create_view is not supported in a sharded schema yet
-- want: refusal in SQL words: "CREATE VIEW is not supported in the sharded schema trade yet"
CREATE VIEW v_orders AS SELECT * FROM orders

-- @ RENAME TABLE of a sharded and a single table in one statement
-- bug: B8 (was ddl.sql)
-- gives: route g0 all; g1 all (writes)
-- want: refusal like DROP TABLE orders, notes (notes exists on g0 only: the RENAME fails on g1 after succeeding on g0)
RENAME TABLE orders TO orders_old, notes TO notes_old

-- @ SET of a system variable from a user variable: not session-wide
-- bug: B21 (was session.sql)
-- gives: route g0 all
-- want: suspected: the other open connections keep the old sql_mode; the plan cannot say "run on g0, then refresh the other connections"
SET sql_mode = @saved_mode

-- @ CALL in trade: refused
-- bug: B19 (was session.sql)
-- gives: refuse 1235: shardproxy: call is not supported in a sharded schema yet
-- want: refusal in SQL words: "CALL is not supported in the sharded schema trade yet"
CALL refresh_totals(1)

-- @ LOAD DATA in trade: refused
-- bug: B19 (was session.sql)
-- gives: refuse 1235: shardproxy: load_data is not supported in a sharded schema yet
-- want: "LOAD DATA is not supported ..."
LOAD DATA INFILE '/tmp/orders.csv' INTO TABLE orders

-- @ LOCK TABLES in trade: refused
-- bug: B19 (was session.sql)
-- gives: refuse 1235: shardproxy: lock_tables is not supported in a sharded schema yet
-- want: "LOCK TABLES is not supported ..."
LOCK TABLES orders WRITE

-- @ LOCK TABLES of a trade table from app: refused
-- bug: B19 (was session.sql)
-- gives: refuse 1235: shardproxy: lock_tables is not supported in a sharded schema yet
-- want: "LOCK TABLES of trade.orders (sharded schema trade) is not supported" (the current schema app is not sharded)
-- schema: app
LOCK TABLES trade.orders READ

-- @ PREPARE in trade: refused
-- bug: B19 (was session.sql)
-- gives: refuse 1235: shardproxy: prepare is not supported in a sharded schema yet
-- want: "PREPARE is not supported ..."
PREPARE s FROM 'SELECT * FROM orders WHERE buyer_id = ?'

-- @ EXECUTE in trade: refused
-- bug: B19 (was session.sql)
-- gives: refuse 1235: shardproxy: execute is not supported in a sharded schema yet
-- want: "EXECUTE is not supported ..."
EXECUTE s USING @b

-- @ XA START in trade: refused
-- bug: B19 (was session.sql)
-- gives: refuse 1235: shardproxy: xa is not supported in a sharded schema yet
-- want: "XA is not supported ..."
XA START 'x1'

-- @ HANDLER in trade: refused
-- bug: B19 (was session.sql)
-- gives: refuse 1235: shardproxy: handler is not supported in a sharded schema yet
-- want: "HANDLER is not supported ..."
HANDLER orders OPEN

-- @ SHOW WARNINGS after a statement on g1
-- bug: B3 (was session.sql)
-- gives: route g0 all
-- want: g1 (the previous statement's group: SHOW WARNINGS is session_bound)
-- last_group: g1
SHOW WARNINGS

-- @ USE of the unsharded app (on g1 only) from trade
-- bug: B10 (was session.sql)
-- gives: route g0 all (session_wide)
-- want: g1 (app's group), session_wide - as COM_INIT_DB app does
USE app

-- @ USE of an undeclared schema (default group g0) from app
-- bug: B10 (was session.sql)
-- gives: route g1 all (session_wide)
-- want: g0 (shop's group, the default), session_wide
-- schema: app
USE shop

-- @ one SET of a user variable and a system variable
-- bug: B21 (was session.sql)
-- gives: route g0 all
-- want: suspected: refusal (send SET @x and SET autocommit separately), or g0 plus a refresh of the other connections; today autocommit=0 reaches g0 only
SET @x = 1, autocommit = 0

-- @ CALL of a procedure of the sharded trade, from app
-- bug: B11 (was session.sql)
-- gives: route g1 all
-- want: refusal like CALL in trade (the procedure reads trade's tables on g1 only)
-- schema: app
CALL trade.refresh_totals(1)

-- @ unparsable SQL in app naming a table whose name contains "trade"
-- bug: B20 (was session.sql)
-- gives: refuse 1235: shardproxy: the statement cannot be read by the proxy's SQL parser and names the sharded schema trade: it is not sent anywhere
-- want: g1 (app's group): "traders" is not the schema trade; the refusal says it names trade
-- schema: app
-- unparsable
SELEC * FROM traders
