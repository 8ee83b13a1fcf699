-- Transactions and session statements. Most are executed bare (@exec-bare) on their
-- own connection, because PREPARE cannot take them or they only make sense executed.
-- @exec-bare
BEGIN;
-- @exec-bare
BEGIN WORK;
-- @exec-bare
START TRANSACTION;
-- @exec-bare
START TRANSACTION READ ONLY;
-- @exec-bare
START TRANSACTION READ WRITE;
-- @exec-bare
START TRANSACTION WITH CONSISTENT SNAPSHOT;
-- @exec-bare
START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY;
-- @exec-bare
COMMIT;
-- @exec-bare
COMMIT WORK;
-- @exec-bare
COMMIT AND NO CHAIN;
-- @exec-bare
ROLLBACK;
-- @exec-bare
ROLLBACK WORK;
-- @exec-bare
-- @before START TRANSACTION
SAVEPOINT sp1;
-- @exec-bare
-- @before START TRANSACTION
-- @before SAVEPOINT sp1
ROLLBACK TO SAVEPOINT sp1;
-- @exec-bare
-- @before START TRANSACTION
-- @before SAVEPOINT `before_refund`
ROLLBACK WORK TO `before_refund`;
-- @exec-bare
-- @before START TRANSACTION
-- @before SAVEPOINT sp2
RELEASE SAVEPOINT sp2;
-- @exec-bare
-- @after XA END 'corpus-xa-1'
-- @after XA ROLLBACK 'corpus-xa-1'
XA START 'corpus-xa-1';
-- @exec-bare
-- @before XA BEGIN 'corpus-xa-2', 'b1', 1
-- @after XA ROLLBACK 'corpus-xa-2', 'b1', 1
XA END 'corpus-xa-2', 'b1', 1;
-- @exec-bare
-- @before XA START 'corpus-xa-3'
-- @before XA END 'corpus-xa-3'
-- @after XA ROLLBACK 'corpus-xa-3'
XA PREPARE 'corpus-xa-3';
-- @exec-bare
-- @before XA START 'corpus-xa-4'
-- @before XA END 'corpus-xa-4'
-- @before XA PREPARE 'corpus-xa-4'
XA COMMIT 'corpus-xa-4';
-- @exec-bare
-- @before XA START 'corpus-xa-5'
-- @before XA END 'corpus-xa-5'
XA COMMIT 'corpus-xa-5' ONE PHASE;
-- @exec-bare
-- @before XA START 0x6262, 'q'
-- @before XA END 0x6262, 'q'
XA ROLLBACK 0x6262, 'q';
-- @exec-bare
-- @allow-error 1227 1044
XA RECOVER;
-- @exec-bare
-- @allow-error 1227 1044
XA RECOVER FORMAT='SQL';
-- @exec-bare
SET autocommit = 0;
-- @exec-bare
SET @@autocommit = 1, @@session.wait_timeout = 600;
-- @exec-bare
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ZERO_DATE';
-- @exec-bare
SET LOCAL time_zone = '+00:00';
-- @exec-bare
SET @@SESSION.tx_isolation = 'READ-COMMITTED';
-- @exec-bare
-- @allow-error 1227
SET GLOBAL max_connections = 500;
-- @exec-bare
-- @allow-error 1227
SET @@GLOBAL.slow_query_log = ON;
-- @exec-bare
SET @uid = 42, @status := 'paid';
-- @exec-bare
SET @ts = NOW() - INTERVAL 1 HOUR;
-- @exec-bare
SET NAMES utf8mb4;
-- @exec-bare
SET NAMES 'utf8mb4' COLLATE 'utf8mb4_unicode_ci';
-- @exec-bare
SET NAMES DEFAULT;
-- @exec-bare
SET CHARACTER SET utf8mb4;
-- @exec-bare
SET CHARSET 'latin1';
-- @exec-bare
SET character_set_results = NULL;
-- @exec-bare
SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
-- @exec-bare
SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;
-- @exec-bare
SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY;
-- @exec-bare
SET TRANSACTION READ WRITE;
-- @exec-bare
-- @allow-error 1227
SET GLOBAL TRANSACTION ISOLATION LEVEL READ UNCOMMITTED;
-- @exec-bare
SET STATEMENT max_statement_time = 5 FOR SELECT order_id FROM trade.orders WHERE user_id = 42;
-- @exec-bare
SET STATEMENT sql_mode = 'NO_BACKSLASH_ESCAPES', optimizer_switch = 'index_merge=off' FOR UPDATE trade.orders SET note = 'x' WHERE order_id = 1;
-- @exec-bare
SET sql_select_limit = DEFAULT;
-- @exec-bare
SET @@session.sql_auto_is_null = 0, @@session.group_concat_max_len = 1048576;
SET PASSWORD = PASSWORD('app');
USE trade;
USE `account`;
-- @exec-bare
-- @allow-error 1227
LOCK TABLES trade.orders READ;
-- @exec-bare
LOCK TABLES trade.orders WRITE, trade.order_items AS i READ LOCAL;
-- @exec-bare
LOCK TABLE account.accounts LOW_PRIORITY WRITE;
-- @exec-bare
UNLOCK TABLES;
-- @exec-bare
UNLOCK TABLE;
-- @exec-bare
-- @allow-error 1094
KILL 999999;
-- @exec-bare
-- @allow-error 1094
KILL QUERY 999998;
-- @exec-bare
-- @allow-error 1094
KILL CONNECTION 999997;
-- @exec-bare
-- @allow-error 1094
KILL HARD QUERY 999996;
-- @exec-bare
PREPARE stmt1 FROM 'SELECT order_id FROM orders WHERE user_id = ?';
-- @exec-bare
-- @before SET @query_text = 'SELECT 1'
PREPARE stmt2 FROM @query_text;
-- @exec-bare
-- @before PREPARE stmt3 FROM 'SELECT ? + 1'
-- @before SET @a = 41
EXECUTE stmt3 USING @a;
-- @exec-bare
-- @before PREPARE stmt4 FROM 'SELECT 1'
EXECUTE stmt4;
-- @exec-bare
-- @before PREPARE stmt5 FROM 'SELECT 1'
DEALLOCATE PREPARE stmt5;
-- @exec-bare
-- @before PREPARE stmt6 FROM 'SELECT 1'
DROP PREPARE stmt6;
-- @exec-bare
EXECUTE IMMEDIATE 'SELECT order_id FROM orders WHERE user_id = ?' USING 42;
CALL account.get_balance(42);
CALL trade.close_order(1001, 'fraud');
CALL trade.count_orders(7, @n);
-- @exec-bare
DO SLEEP(0);
-- @exec-bare
DO GET_LOCK('corpus-lock', 0), RELEASE_LOCK('corpus-lock');
