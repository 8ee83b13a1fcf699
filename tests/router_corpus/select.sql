-- Single-table SELECTs on trade.orders (sharded by buyer_id bigint): the shard-key
-- value forms, IN lists, OR/AND, ranges, no predicate, merge constructs, subqueries,
-- user variables, session-bound functions, system schemas, qualified names.
-- Values: 1 -> vpart 344 (g0), 2 -> 788 (g1), 3 -> 240 (g0), 4 -> 63 (g0),
-- 5 -> 626 (g1), 6 -> 525 (g1), 7 -> 506 (g0), 8 -> 1002 (g1), 42 -> 401 (g0).

-- @ point select, integer literal
SELECT * FROM orders WHERE buyer_id = 42

-- @ string literal that is the integer 42
SELECT * FROM orders WHERE buyer_id = '42'

-- @ hex literal 0x2A is 42 in numeric context
SELECT * FROM orders WHERE buyer_id = 0x2A

-- @ FLOAT literal 4.2e1 is exactly 42
SELECT * FROM orders WHERE buyer_id = 4.2e1

-- @ decimal literal 42.0 equals 42
SELECT * FROM orders WHERE buyer_id = 42.0

-- @ string with blanks and a leading zero
SELECT * FROM orders WHERE buyer_id = ' 042 '

-- @ negative key
SELECT * FROM orders WHERE buyer_id = -7

-- @ a key on g1
SELECT * FROM orders WHERE buyer_id = 2

-- @ constant on the left
SELECT * FROM orders WHERE 2 = buyer_id

-- @ qualified column, alias, other conjuncts
SELECT o.id, o.amount FROM orders AS o WHERE o.status = 'paid' AND o.buyer_id = 5 AND o.amount > 10

-- @ = NULL matches no row anywhere
SELECT * FROM orders WHERE buyer_id = NULL

-- @ <=> NULL finds the NULL rows: the vpart of the empty canonical bytes
SELECT * FROM orders WHERE buyer_id <=> NULL

-- @ IS NULL is not extracted: every group
SELECT * FROM orders WHERE buyer_id IS NULL

-- @ 4.5 never equals an integer key
SELECT * FROM orders WHERE buyer_id = 4.5

-- @ '42abc' is 42 with a warning to MariaDB: every group
SELECT * FROM orders WHERE buyer_id = '42abc'

-- @ X'3432' is a string in numeric context: every group
SELECT * FROM orders WHERE buyer_id = X'3432'

-- @ a function of the key: every group
SELECT * FROM orders WHERE buyer_id + 0 = 42

-- @ IN list, every value on g0
SELECT * FROM orders WHERE buyer_id IN (1, 3, 4)

-- @ IN list across groups: each group gets its values
SELECT * FROM orders WHERE buyer_id IN (1, 2, 3, 5)

-- @ IN list across groups with negative, string, hex values and a later condition
SELECT id FROM orders WHERE buyer_id IN (-7, '2', 0x2A, 8) AND status = 'paid'

-- @ IN list across groups, multi-line with odd spacing
SELECT id
  FROM orders
 WHERE buyer_id IN ( 1 ,2,
   3 , 5 )
 AND id > 0

-- @ IN list with a repeated value
SELECT * FROM orders WHERE buyer_id IN (2, 1, 2)

-- @ IN list of one value
SELECT * FROM orders WHERE buyer_id IN (2)

-- @ IN list with a value that never matches
SELECT * FROM orders WHERE buyer_id IN (4.5, 2, 5)

-- @ IN list with a column: every group
SELECT * FROM orders WHERE buyer_id IN (1, id)

-- @ NOT IN: every group
SELECT * FROM orders WHERE buyer_id NOT IN (1, 2)

-- @ OR of equalities on one group
SELECT * FROM orders WHERE buyer_id = 1 OR buyer_id = 3

-- @ OR of equalities across groups
SELECT * FROM orders WHERE buyer_id = 1 OR buyer_id = 2

-- @ OR of equalities inside an AND
SELECT * FROM orders WHERE (buyer_id = 4 OR buyer_id = 7) AND status = 'new'

-- @ OR across columns: every group
SELECT * FROM orders WHERE buyer_id = 1 OR status = 'x'

-- @ AND of equal keys (42 and '42')
SELECT * FROM orders WHERE buyer_id = 42 AND buyer_id = '42'

-- @ contradictory keys: no row can match, one group answers
SELECT * FROM orders WHERE buyer_id = 1 AND buyer_id = 2

-- @ IN list narrowed by an equality
SELECT * FROM orders WHERE buyer_id IN (1, 2, 5) AND buyer_id = 2

-- @ two IN lists intersected, still two groups
SELECT * FROM orders WHERE buyer_id IN (1, 2, 3) AND buyer_id IN (1, 2, 5)

-- @ BETWEEN: every group
SELECT * FROM orders WHERE buyer_id BETWEEN 1 AND 5

-- @ range: every group
SELECT * FROM orders WHERE buyer_id > 10

-- @ no predicate: every group, rows concatenated
SELECT * FROM orders

-- @ a condition on another column only
SELECT id, amount FROM orders WHERE status = 'paid'

-- @ FOR UPDATE on every group
SELECT * FROM orders WHERE status = 'new' FOR UPDATE

-- @ ORDER BY across groups
SELECT * FROM orders ORDER BY id

-- @ LIMIT across groups
SELECT * FROM orders LIMIT 10

-- @ LIMIT with OFFSET across groups (IN list)
SELECT * FROM orders WHERE buyer_id IN (1, 2) LIMIT 5, 10

-- @ GROUP BY across groups
SELECT buyer_id, COUNT(*) FROM orders GROUP BY buyer_id

-- @ DISTINCT across groups
SELECT DISTINCT status FROM orders

-- @ COUNT(*) across groups
SELECT COUNT(*) FROM orders

-- @ an aggregate inside an expression across groups
SELECT MAX(id) + 1 FROM orders WHERE buyer_id IN (1, 2)

-- @ HAVING without GROUP BY across groups
SELECT id FROM orders HAVING id > 10

-- @ window function across groups
SELECT id, ROW_NUMBER() OVER (PARTITION BY buyer_id ORDER BY id) FROM orders

-- @ SQL_CALC_FOUND_ROWS across groups
SELECT SQL_CALC_FOUND_ROWS id FROM orders WHERE status = 'x'

-- @ ORDER BY + LIMIT on one group: pushed down
SELECT * FROM orders WHERE buyer_id = 42 ORDER BY id DESC LIMIT 10

-- @ GROUP BY + HAVING + aggregates on one group
SELECT status, COUNT(*), SUM(amount) FROM orders WHERE buyer_id = 2 GROUP BY status HAVING COUNT(*) > 1

-- @ DISTINCT on one group
SELECT DISTINCT status FROM orders WHERE buyer_id = 2

-- @ aggregate over an IN list on one group
SELECT SUM(amount) FROM orders WHERE buyer_id IN (1, 3)

-- @ window function on one group
SELECT id, ROW_NUMBER() OVER (ORDER BY id) FROM orders WHERE buyer_id = 5

-- @ UNION on one group
SELECT id FROM orders WHERE buyer_id = 1 UNION SELECT id FROM orders WHERE buyer_id = 3

-- @ SQL_CALC_FOUND_ROWS + LIMIT on one group
SELECT SQL_CALC_FOUND_ROWS * FROM orders WHERE buyer_id = 42 LIMIT 3

-- @ FOR UPDATE on one group
SELECT * FROM orders WHERE buyer_id = 42 FOR UPDATE

-- @ derived table on one group
SELECT t.id FROM (SELECT id FROM orders WHERE buyer_id = 42) AS t

-- @ derived table, no key: every group (a subquery over several groups)
SELECT t.id FROM (SELECT id FROM orders) AS t

-- @ IN subquery, both blocks pinned to the same vpart
SELECT * FROM orders WHERE buyer_id = 42 AND id IN (SELECT order_id FROM order_items WHERE buyer_id = 42)

-- @ IN subquery, outer every group, inner on g1: refused
SELECT * FROM orders WHERE id IN (SELECT order_id FROM order_items WHERE buyer_id = 2)

-- @ key compared with a scalar subquery: refused
SELECT * FROM orders WHERE buyer_id = (SELECT buyer_id FROM order_items WHERE id = 1)

-- @ EXISTS subquery on a broadcast table, outer on one group
SELECT * FROM orders o WHERE o.buyer_id = 2 AND EXISTS (SELECT 1 FROM merchants m WHERE m.id = o.merchant_id)

-- @ EXISTS subquery on a broadcast table, outer on every group
SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM merchants m WHERE m.id = o.merchant_id)

-- @ CTE on one group
WITH t AS (SELECT id FROM orders WHERE buyer_id = 2) SELECT * FROM t

-- @ user variable read, no table: the session's first group
SELECT @x

-- @ user variable in a statement that runs on g0 (the session's first group)
SELECT * FROM orders WHERE buyer_id = 42 AND status = @s

-- @ user variable in a statement that runs on g1: refused
SELECT * FROM orders WHERE buyer_id = 2 AND status = @s

-- @ user variable in a statement on every group: refused
SELECT * FROM orders WHERE status = @s

-- @ assignment to a user variable in a select list on g1: refused
SELECT @n := id FROM orders WHERE buyer_id = 2

-- @ system variables are not user variables
SELECT @@version, @@session.sql_mode

-- @ an '@' inside a string is not a variable
SELECT * FROM orders WHERE buyer_id = 2 AND note = 'a@b'

-- @ no table
SELECT 1

-- @ FOUND_ROWS(): the previous statement's group
-- last_group: g1
SELECT FOUND_ROWS()

-- @ LAST_INSERT_ID(): the previous statement's group
-- last_group: g1
SELECT LAST_INSERT_ID()

-- @ LAST_INSERT_ID() with no previous statement: the first group
SELECT LAST_INSERT_ID()

-- @ session-bound with a sharded table over several groups: refused
-- last_group: g0
SELECT * FROM orders WHERE id = LAST_INSERT_ID()

-- @ information_schema query from trade
SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'trade'

-- @ information_schema query from app
-- schema: app
SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'app'

-- @ information_schema query with no current schema
-- schema:
SELECT SCHEMA_NAME FROM information_schema.SCHEMATA

-- @ mysql schema from trade
SELECT User FROM mysql.user

-- @ qualified sharded table from the unsharded schema app
-- schema: app
SELECT * FROM trade.orders WHERE buyer_id = 2

-- @ qualified sharded table from app, IN list cut per group
-- schema: app
SELECT * FROM trade.orders WHERE buyer_id IN (1, 2)

-- @ qualified sharded table from app, no key: every group
-- schema: app
SELECT * FROM trade.orders

-- @ qualified sharded table with no current schema
-- schema:
SELECT * FROM trade.orders WHERE buyer_id = 42

-- @ qualified single table from another schema
-- schema: account
SELECT * FROM trade.notes

-- @ qualified broadcast table from another schema
-- schema: app
SELECT * FROM trade.merchants

-- @ an app table that happens to be named orders: app's group
-- schema: app
SELECT * FROM orders WHERE buyer_id = 42

-- @ a table of an undeclared schema: the default group
-- schema: shop
SELECT * FROM items WHERE id = 1

-- @ a table without a rule in a sharded schema: refused, 1146 (not guessed)
SELECT * FROM invoices WHERE id = 1

-- @ single table
SELECT * FROM notes WHERE id = 3

-- @ broadcast table: one group
SELECT * FROM merchants WHERE id = 3

-- @ EXPLAIN of a point select
EXPLAIN SELECT * FROM orders WHERE buyer_id = 2

-- @ EXPLAIN with no key
EXPLAIN SELECT * FROM orders

-- @ DO with no table
DO 1

-- @ GET_LOCK in a sharded schema: refused
SELECT GET_LOCK('job', 10)

-- @ GET_LOCK in an unsharded schema
-- schema: app
SELECT GET_LOCK('job', 10)

-- @ UNION with a block without table, across groups: refused naming UNION
SELECT id FROM orders UNION SELECT 1

-- @ session-bound, pinned by key to the previous statement's group
-- last_group: g1
SELECT * FROM orders WHERE buyer_id = 2 AND id = LAST_INSERT_ID()

-- @ SET STATEMENT ... FOR a point select
SET STATEMENT max_statement_time = 1 FOR SELECT * FROM orders WHERE buyer_id = 2

-- @ SELECT ... INTO a user variable on g0
SELECT id INTO @oid FROM orders WHERE buyer_id = 42 LIMIT 1

-- @ SELECT ... INTO a user variable on g1: refused
SELECT id INTO @oid FROM orders WHERE buyer_id = 2 LIMIT 1

-- @ ANALYZE TABLE of a sharded table: every group
ANALYZE TABLE orders

-- @ IN list with NULL and two groups
SELECT * FROM orders WHERE buyer_id IN (NULL, 1, 2)

-- @ IN list with NULL and one value on g1: NULL never matches in IN
SELECT * FROM orders WHERE buyer_id IN (NULL, 2)

-- @ IN list with NULL and one value on g1, ORDER BY: one group is enough
SELECT * FROM orders WHERE buyer_id IN (NULL, 2) ORDER BY id

-- @ UNION across groups: refused naming UNION
SELECT id FROM orders WHERE buyer_id = 1 UNION SELECT id FROM orders WHERE buyer_id = 2

-- @ UNION ALL of two scattered tables: refused naming UNION
SELECT id FROM orders UNION ALL SELECT id FROM order_items

-- @ DESCRIBE a sharded table: one group
DESCRIBE orders

-- @ row constructor IN across groups: the list is sent whole to each group
SELECT * FROM orders WHERE (buyer_id, id) IN ((1, 10), (2, 20))

-- @ session-bound, pinned by key to g1 while the previous statement ran on g0: refused
-- last_group: g0
SELECT * FROM orders WHERE buyer_id = 2 AND id = LAST_INSERT_ID()

-- @ DO GET_LOCK in a sharded schema: refused
DO GET_LOCK('job', 10)
