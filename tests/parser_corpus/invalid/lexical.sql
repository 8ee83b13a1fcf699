-- Invalid lexical forms: unterminated quotes and comments, '--' comments without the
-- space MariaDB requires, misplaced sql_mode-dependent tokens.
SELECT 'unterminated;
SELECT "unterminated too;
SELECT 'it\'s still open;
SELECT 1 /* never closed;
SELECT order_id FROM trade.orders --no space makes this a minus sign;
SELECT order_id FROM trade.orders WHERE user_id = 1 --comment here;
SELECT order_id FROM trade.orders WHERE user_id IN (1, 2 -- ) closed in a comment
;
SELECT order_id FROM trade.orders # WHERE user_id = (
WHERE (user_id = 1;
SELECT x'4G';
SELECT X'ABC';
SELECT b'102';
SELECT 1 2;
SELECT 'a' 1;
SELECT @@;
SELECT @@session.;
SELECT order_id FROM trade.orders WHERE status = _utf8mb4;
-- @sql-mode NO_BACKSLASH_ESCAPES
SELECT 'a\'b';
SELECT order_id FROM trade.orders WHERE user_id = 1 /*! AND */;
SELECT 1 /*!50001 FROM */;
SELECT ?? FROM trade.orders;
