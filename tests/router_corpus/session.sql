-- Session statements (session_wide), SET @x, SHOW, statements refused in a sharded
-- schema (CALL, LOAD DATA, LOCK TABLES, PREPARE, XA, HANDLER), unparsable SQL.

-- @ SET autocommit
SET autocommit = 0

-- @ SET NAMES
SET NAMES utf8mb4

-- @ SET SESSION of a system variable
SET SESSION sql_mode = 'STRICT_TRANS_TABLES'

-- @ SET @@ form
SET @@session.time_zone = '+00:00'

-- @ SET TRANSACTION
SET TRANSACTION ISOLATION LEVEL READ COMMITTED

-- @ SET of a user variable: not session-wide
SET @x = 1

-- @ SET of a user variable from a subquery on a sharded table: refused
SET @x = (SELECT COUNT(*) FROM orders)

-- @ SET in app
-- schema: app
SET autocommit = 1

-- @ USE
USE account

-- @ USE from app
-- schema: app
USE trade

-- @ BEGIN
BEGIN

-- @ START TRANSACTION READ ONLY
START TRANSACTION READ ONLY

-- @ COMMIT
COMMIT

-- @ ROLLBACK
ROLLBACK

-- @ SAVEPOINT
SAVEPOINT s1

-- @ ROLLBACK TO SAVEPOINT
ROLLBACK TO SAVEPOINT s1

-- @ RELEASE SAVEPOINT
RELEASE SAVEPOINT s1

-- @ SHOW TABLES in trade
SHOW TABLES

-- @ SHOW TABLES FROM app
SHOW TABLES FROM app

-- @ SHOW TABLES in app
-- schema: app
SHOW TABLES

-- @ SHOW CREATE TABLE of a sharded table
SHOW CREATE TABLE orders

-- @ SHOW CREATE TABLE of an app table, qualified
SHOW CREATE TABLE app.profiles

-- @ SHOW COLUMNS of the single notes
SHOW COLUMNS FROM notes

-- @ SHOW VARIABLES
SHOW VARIABLES LIKE 'autocommit'

-- @ SHOW DATABASES with no schema
-- schema:
SHOW DATABASES

-- @ CALL in app
-- schema: app
CALL refresh_totals(1)

-- @ LOAD DATA into app
-- schema: app
LOAD DATA LOCAL INFILE '/tmp/p.csv' INTO TABLE profiles

-- @ LOCK TABLES in app
-- schema: app
LOCK TABLES profiles READ

-- @ UNLOCK TABLES
UNLOCK TABLES

-- @ DEALLOCATE PREPARE in trade
DEALLOCATE PREPARE s

-- @ PREPARE in app
-- schema: app
PREPARE s FROM 'SELECT 1'

-- @ KILL
KILL QUERY 12

-- @ unparsable SQL in trade: refused
-- unparsable
SELECT * FROM orders WHERE

-- @ unparsable SQL in app: the schema's group
-- schema: app
-- unparsable
SELEC 1

-- @ unparsable SQL in app naming the sharded trade: refused
-- schema: app
-- unparsable
SELECT * FROM trade.orders WHERE

-- @ unparsable SQL with no current schema
-- schema:
-- unparsable
FOO BAR

-- @ unparsable SQL in an undeclared schema
-- schema: shop
-- unparsable
FROB items

-- @ SET of a system variable from a user variable: first group, the other connections refreshed
SET sql_mode = @saved_mode

-- @ CALL in trade: refused
CALL refresh_totals(1)

-- @ LOAD DATA in trade: refused
LOAD DATA INFILE '/tmp/orders.csv' INTO TABLE orders

-- @ LOCK TABLES in trade: refused
LOCK TABLES orders WRITE

-- @ PREPARE in trade: refused
PREPARE s FROM 'SELECT * FROM orders WHERE buyer_id = ?'

-- @ EXECUTE in trade: refused
EXECUTE s USING @b

-- @ XA START in trade: refused
XA START 'x1'

-- @ HANDLER in trade: refused
HANDLER orders OPEN

-- @ SHOW WARNINGS after a statement on g1: g1
-- last_group: g1
SHOW WARNINGS

-- @ USE of the unsharded app (on g1 only) from trade: g1
USE app

-- @ USE of an undeclared schema (default group g0) from app: g0
-- schema: app
USE shop

-- @ one SET of a user variable and a system variable: first group, the other connections refreshed
SET @x = 1, autocommit = 0

-- @ unparsable SQL in app naming a table whose name contains "trade": app's group
-- schema: app
-- unparsable
SELEC * FROM traders

-- @ CALL of a procedure of the sharded trade, from app: refused (B11 fixed)
-- schema: app
CALL trade.refresh_totals(1)

-- @ CALL of a backticked trade procedure, from app: refused
-- schema: app
CALL `trade`.`refresh_totals`(1)
