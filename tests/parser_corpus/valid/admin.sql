-- Administration: what dump files (mariadb-dump --system=users) and admin tools
-- send besides data and DDL. Accounts (GRANT, REVOKE, CREATE/ALTER/DROP/RENAME
-- USER, SET PASSWORD, roles), FLUSH and HANDLER. The corpus user owns only its
-- schemas, so the server may refuse account statements for privileges after
-- parsing them: access denied (1044, 1045, 1142, 1227, 1370, 1698), no GRANT OPTION
-- (1410), no such grant/role (1141, 1269, 1959) count as accepted; a syntax
-- error (1064) never does.
-- @exec
-- @allow-error 1044,1045,1141,1142,1227,1269,1370,1410,1698,1959
GRANT SELECT, INSERT, UPDATE, DELETE ON trade.* TO 'app'@'%';
-- @exec
-- @allow-error 1044,1045,1141,1142,1227,1269,1370,1410,1698,1959
GRANT SELECT (order_id, status), UPDATE (status) ON trade.orders TO 'reporting'@'10.0.%';
-- @exec
-- @allow-error 1044,1045,1141,1142,1227,1269,1370,1410,1698,1959
GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` IDENTIFIED BY PASSWORD '*81F5E21E35407D884A6CD4A731AEBFB6AF209E1B' WITH GRANT OPTION;
-- @exec
-- @allow-error 1044,1045,1141,1142,1227,1269,1370,1410,1698,1959
GRANT RELOAD, PROCESS, REPLICATION CLIENT, REPLICATION SLAVE, BINLOG MONITOR, READ_ONLY ADMIN ON *.* TO 'monitor'@'%' REQUIRE SSL WITH MAX_USER_CONNECTIONS 10 MAX_QUERIES_PER_HOUR 1000;
-- @exec
-- @allow-error 1044,1045,1141,1142,1227,1269,1370,1410,1698,1959
GRANT EXECUTE ON PROCEDURE trade.close_order TO 'app'@'%';
-- @exec
-- @allow-error 1044,1045,1141,1142,1227,1269,1370,1410,1698,1959
GRANT CREATE TEMPORARY TABLES, LOCK TABLES, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, EVENT, TRIGGER ON `account`.* TO app@'%';
-- @exec
-- @allow-error 1044,1045,1141,1142,1227,1269,1370,1410,1698,1959
GRANT PROXY ON ''@'%' TO 'app'@'%';
-- @exec
-- @allow-error 1044,1045,1141,1142,1227,1269,1370,1410,1698,1959
GRANT analyst TO 'app'@'%' WITH ADMIN OPTION;
-- @exec
-- @allow-error 1044,1045,1141,1142,1227,1269,1370,1410,1698,1959
REVOKE INSERT, UPDATE ON trade.* FROM 'reports'@'%';
-- @exec
-- @allow-error 1044,1045,1141,1142,1227,1269,1370,1410,1698,1959
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'reporting'@'10.0.%', 'monitor'@'%';
-- @exec
-- @allow-error 1044,1045,1141,1142,1227,1269,1370,1410,1698,1959
REVOKE analyst FROM 'reports'@'%';
-- @exec
-- @allow-error 1044,1227
CREATE USER IF NOT EXISTS 'reporting'@'10.0.%' IDENTIFIED BY 'r3p0rt' PASSWORD EXPIRE INTERVAL 90 DAY;
-- @exec
-- @allow-error 1044,1227
CREATE OR REPLACE USER 'svc'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('s3cret') OR unix_socket REQUIRE NONE WITH MAX_STATEMENT_TIME 2.5 ACCOUNT LOCK;
-- @exec
-- @allow-error 1044,1227
CREATE USER `batch`@`localhost` IDENTIFIED WITH mysql_native_password AS '*81F5E21E35407D884A6CD4A731AEBFB6AF209E1B', 'ro'@'%';
-- @exec
-- @allow-error 1044,1227
ALTER USER IF EXISTS 'reporting'@'10.0.%' IDENTIFIED BY 'n3w' ACCOUNT UNLOCK;
-- @exec
-- @allow-error 1044,1227
ALTER USER 'svc'@'%' REQUIRE SUBJECT '/CN=svc' AND ISSUER '/CN=ca' PASSWORD EXPIRE NEVER;
-- @exec
-- @allow-error 1044,1227
RENAME USER 'reporting'@'10.0.%' TO 'reports'@'10.0.%';
-- @exec
-- @allow-error 1044,1227
DROP USER IF EXISTS 'reporting'@'10.0.%', 'svc'@'%';
-- @exec
-- @allow-error 1044,1227
SET PASSWORD FOR 'reporting'@'10.0.%' = PASSWORD('x');
-- @exec
-- @allow-error 1044,1227,1133
SET PASSWORD FOR 'svc'@'%' = '*81F5E21E35407D884A6CD4A731AEBFB6AF209E1B';
-- @exec
-- @allow-error 1044,1227
CREATE ROLE IF NOT EXISTS analyst;
-- @exec
-- @allow-error 1044,1227
DROP ROLE IF EXISTS analyst, auditor;
-- @exec-bare
SET DEFAULT ROLE NONE;
-- @exec
-- @allow-error 1044,1227
SET DEFAULT ROLE analyst FOR 'reports'@'10.0.%';
-- FLUSH: needs RELOAD, which the corpus user does not have (1227).
-- @exec
-- @allow-error 1227
FLUSH PRIVILEGES;
-- @exec
-- @allow-error 1227
FLUSH TABLES;
-- @exec
-- @allow-error 1227
FLUSH NO_WRITE_TO_BINLOG TABLES orders, order_items WITH READ LOCK;
-- @exec
-- @allow-error 1227
FLUSH TABLES trade.products FOR EXPORT;
-- @exec
-- @allow-error 1227
FLUSH LOCAL BINARY LOGS;
-- @exec
-- @allow-error 1227
FLUSH LOGS, STATUS, HOSTS, QUERY CACHE;
-- HANDLER: open, read through an index or in table order, close.
-- @exec
-- @after HANDLER orders CLOSE
HANDLER orders OPEN;
-- @exec
-- @after HANDLER o CLOSE
HANDLER trade.orders OPEN AS o;
-- @exec
-- @before HANDLER orders OPEN
-- @after HANDLER orders CLOSE
HANDLER orders READ `PRIMARY` = (42);
-- @exec
-- @before HANDLER orders OPEN
-- @after HANDLER orders CLOSE
HANDLER orders READ idx_user >= (7) WHERE status = 'paid' LIMIT 10;
-- @exec
-- @before HANDLER orders OPEN
-- @after HANDLER orders CLOSE
HANDLER orders READ idx_status_created NEXT LIMIT 5;
-- @exec
-- @before HANDLER orders OPEN
-- @after HANDLER orders CLOSE
HANDLER orders READ FIRST;
-- @exec
-- @before HANDLER orders OPEN
HANDLER orders CLOSE;
