-- UNION [ALL|DISTINCT], INTERSECT, EXCEPT, parenthesised operands, ORDER/LIMIT on the result.
SELECT user_id FROM trade.orders WHERE status = 'paid' UNION SELECT user_id FROM account.accounts WHERE status = 'vip';
SELECT user_id FROM trade.orders UNION ALL SELECT user_id FROM account.ledger;
SELECT user_id FROM trade.orders UNION DISTINCT SELECT user_id FROM account.accounts;
SELECT user_id FROM trade.orders INTERSECT SELECT user_id FROM account.accounts WHERE balance > 0;
SELECT user_id FROM account.accounts EXCEPT SELECT user_id FROM trade.orders;
SELECT user_id FROM account.accounts INTERSECT ALL SELECT user_id FROM trade.orders;
SELECT user_id FROM account.accounts EXCEPT ALL SELECT user_id FROM trade.orders WHERE amount > 10;
(SELECT order_id, amount FROM trade.orders WHERE user_id = 1 ORDER BY amount DESC LIMIT 3) UNION ALL (SELECT order_id, amount FROM trade.orders WHERE user_id = 2 ORDER BY amount DESC LIMIT 3);
SELECT order_id FROM trade.orders WHERE user_id = 1 UNION SELECT order_id FROM trade.orders WHERE user_id = 2 ORDER BY order_id DESC LIMIT 10;
SELECT order_id, 'order' AS src FROM trade.orders WHERE user_id = 6 UNION ALL SELECT shipment_id, 'shipment' FROM trade.shipments WHERE user_id = 6 UNION ALL SELECT entry_id, 'ledger' FROM account.ledger WHERE user_id = 6;
SELECT user_id FROM trade.orders UNION SELECT user_id FROM account.accounts INTERSECT SELECT user_id FROM account.user_profiles;
SELECT u.user_id FROM (SELECT user_id FROM trade.orders UNION SELECT user_id FROM trade.shipments) u WHERE u.user_id > 100;
SELECT COUNT(*) FROM (SELECT order_id FROM trade.orders WHERE status = 'new' UNION ALL SELECT order_id FROM trade.shipments) t;
(SELECT 1) UNION (SELECT 2);
