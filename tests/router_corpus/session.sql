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
