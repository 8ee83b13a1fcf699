-- Lexical forms as MariaDB reads them: quoting, escapes, sql_mode-dependent lexing,
-- introducers, hex/bit literals, numbers in every form, placeholders, variables,
-- comments (plain, executable, version-gated, MariaDB-only, hints).
SELECT `order_id`, `user_id` AS `the user`, `amount` AS `a``b` FROM `trade`.`orders` AS `o` WHERE `o`.`user_id` = 1;
SELECT 'single', 'it''s doubled', 'it\'s backslashed', 'back\\slash', 'percent\% and under\_', 'nul\0 byte', 'quote"inside';
SELECT "double", "it""s", "say \"hi\"", "mixed 'quotes'";
SELECT 'semi;colon inside', "and -- not a comment", '# nor this', '/* nor this */';
SELECT 'multi
line string';
SELECT _utf8mb4'introduced', _latin1'x' COLLATE latin1_swedish_ci, _binary'raw', N'national', n'lower national';
SELECT _utf8mb4 'spaced introducer', _utf8mb4 X'E282AC', _binary 0x41;
SELECT X'4D61726961', x'ff', 0x4D61726961, 0xDEADBEEF = 0xdeadbeef;
SELECT b'1010', B'1', 0b1010, b'' = 0;
SELECT 0, 42, -42, +42, 18446744073709551615, -9223372036854775808;
SELECT 4.2, .5, 5., 0.000001, -0.5, 123456789012345678901234567890.123;
SELECT 1e10, 1E10, 1.5e-3, 2.5E+3, .5e1, -1e-1, 1.e2;
SELECT 1+2, 1 + -2, 1--2, 3-+1, 2*-3, -(-5), - 7;
SELECT order_id FROM trade.orders WHERE user_id = ? AND amount > ? AND note = ? AND created_at < ?;
SELECT @@version, @@session.autocommit, @@global.max_connections, @@SESSION.sql_mode, @@GLOBAL.time_zone, @@local.wait_timeout;
SELECT @uid, @`quoted var`, @'string var', @"dq var", @_under, @a.b, @$dollar;
SELECT @rn := @rn + 1 AS rn, order_id FROM trade.orders, (SELECT @rn := 0) init WHERE user_id = 5;
SELECT order_id -- trailing dash-dash comment
FROM trade.orders # hash comment
WHERE /* inline */ user_id = 7 /* multi
line */ AND status = 'new';
SELECT order_id FROM trade.orders WHERE user_id = 7 --	tab after dashes
AND amount > 0;
SELECT 1 /*! + 1 */;
SELECT 1 /*!50001 + 1 */, 2 /*!100101 + 2 */;
SELECT 1 /*M! + 10 */, 2 /*M!100500 + 20 */;
SELECT /*+ NO_INDEX_MERGE(orders) */ order_id FROM trade.orders WHERE user_id = 1 OR status = 'x';
/* leading comment */ SELECT order_id FROM trade.orders WHERE user_id = 8;
# leading hash comment
SELECT order_id FROM trade.orders WHERE user_id = 9;
select order_id from trade.orders where user_id = 10 order by order_id desc limit 3;
SeLeCt Order_Id FrOm trade.orders WhErE User_Id = 11;
SELECT	order_id
FROM
	trade.orders
WHERE
	user_id	=	12;
SELECT order_id FROM trade.orders WHERE status = 'new'AND user_id = 13;
SELECT status, date, value, comment FROM (SELECT 'a' AS status, '2024-01-01' AS date, 1 AS value, 'c' AS comment) AS t;
SELECT `select`, `from`, `key` FROM (SELECT 1 AS `select`, 2 AS `from`, 3 AS `key`) AS `where`;
SELECT 'café', 'naïve', '日本語', '😀' AS emoji;
SELECT user_id AS `ユーザー`, name AS `naïve name` FROM account.accounts WHERE user_id = 14;
SELECT {d '2024-01-01'}, {ts '2024-01-01 10:00:00'}, {t '10:00:00'};
SELECT DATE'2024-01-01', TIME'10:11:12', TIMESTAMP'2024-01-01 00:00:00.123456';
SELECT 'abc' COLLATE utf8mb4_bin = 'ABC', BINARY 'abc' = 'ABC';
SELECT 'a' 'b', 'c' "d";
SELECT INTERVAL 1 DAY + '2024-01-01', '2024-01-01' + INTERVAL '1:30' HOUR_MINUTE;
SELECT COUNT(*), count(*), Count(order_id) FROM trade.orders WHERE user_id = 15;
SELECT order_id FROM trade.orders WHERE (((user_id = 16)));
SELECT 1 IS TRUE, 0 IS NOT FALSE, NULL IS UNKNOWN;
SELECT 'x' SOUNDS LIKE 'y', 'abc' LIKE BINARY 'a%', 'a' NOT LIKE 'b' AS m;
SELECT ROW(1, 2) = ROW(1, 2), (1, 2) < (1, 3);
SELECT CHAR(77, 97 USING utf8mb4), CONVERT(_latin1'x' USING utf8mb4);
SELECT order_id FROM trade.orders WHERE note = 'path\\to\\file' AND channel = 'tab\there';
-- @sql-mode ANSI_QUOTES
SELECT "order_id", "user_id" FROM "trade"."orders" WHERE "user_id" = 17 AND status = 'paid';
-- @sql-mode ANSI_QUOTES
SELECT o."order_id" AS "id" FROM trade.orders AS "o" WHERE o."user_id" IN (1, 2);
-- @sql-mode NO_BACKSLASH_ESCAPES
SELECT order_id FROM trade.orders WHERE note = 'C:\temp\' AND status = 'it''s';
-- @sql-mode NO_BACKSLASH_ESCAPES
SELECT 'a\', 'b\\' AS two_backslashes;
-- @sql-mode PIPES_AS_CONCAT
SELECT status || '-' || channel AS tag FROM trade.orders WHERE user_id = 18;
-- @sql-mode IGNORE_SPACE
SELECT COUNT (*), MAX (amount), CONCAT ('a', 'b') FROM trade.orders WHERE user_id = 19;
-- @sql-mode ANSI
SELECT "status" || 'x' FROM trade.orders WHERE "user_id" = 20;
-- @sql-mode ANSI_QUOTES,NO_BACKSLASH_ESCAPES,PIPES_AS_CONCAT
SELECT "note" || 'C:\dir\' FROM trade.orders WHERE "order_id" = 21;
SELECT order_id FROM trade.orders WHERE user_id = 22 || user_id = 23;
SELECT 1 FROM trade.orders WHERE note = "ansi off: double quotes are a string";
