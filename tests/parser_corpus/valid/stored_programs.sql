-- Stored programs as mariadb-dump writes them and DBAs type them: CREATE
-- PROCEDURE / FUNCTION / TRIGGER / EVENT with compound-statement bodies
-- (DECLARE variables, conditions, cursors and handlers, IF/ELSEIF/ELSE, CASE,
-- LOOP/WHILE/REPEAT with labels, LEAVE/ITERATE, OPEN/FETCH/CLOSE, SIGNAL and
-- RESIGNAL, RETURN), and DROP of each. PREPARE cannot take them: each one is
-- executed and dropped again. A body line may not end with ';' in this file
-- format, so multi-line bodies end their lines with a short comment.
-- Errors allowed: 1227 (DEFINER=root needs SET USER), 1418/1419 (binary logging
-- without log_bin_trust_function_creators needs SUPER for functions/triggers).
-- @exec
-- @allow-error 1227
-- @after DROP PROCEDURE IF EXISTS trade.settle_order
CREATE DEFINER=`root`@`localhost` PROCEDURE `settle_order`(IN p_order_id BIGINT, OUT p_rows INT)
    MODIFIES SQL DATA
    COMMENT 'settles one order'
BEGIN
  DECLARE v_status VARCHAR(16) DEFAULT NULL; -- current status
  DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END; -- keep the error
  SELECT status INTO v_status FROM orders WHERE order_id = p_order_id FOR UPDATE; -- lock it
  IF v_status IS NULL THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no such order'; -- 45000
  ELSEIF v_status = 'closed' THEN SET p_rows = 0; -- nothing to do
  ELSE UPDATE orders SET status = 'closed' WHERE order_id = p_order_id; SET p_rows = ROW_COUNT(); -- done
  END IF; -- end
END;
-- @exec
-- @after DROP PROCEDURE IF EXISTS trade.sum_user_orders
CREATE PROCEDURE sum_user_orders(IN p_user_id BIGINT, INOUT p_total DECIMAL(14,2))
READS SQL DATA
BEGIN
  DECLARE done INT DEFAULT FALSE; -- cursor exhausted
  DECLARE v_amount DECIMAL(12,2); -- one row
  DECLARE cur CURSOR FOR SELECT amount FROM orders WHERE user_id = p_user_id; -- the rows
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE; -- end of cursor
  OPEN cur; -- go
  read_loop: LOOP -- each row
    FETCH cur INTO v_amount; -- next
    IF done THEN LEAVE read_loop; END IF; -- stop
    SET p_total = p_total + v_amount; -- add
  END LOOP read_loop; -- end
  CLOSE cur; -- done
END;
-- @exec
-- @after DROP PROCEDURE IF EXISTS trade.backoff
CREATE PROCEDURE backoff(IN p_tries INT)
NOT DETERMINISTIC CONTAINS SQL SQL SECURITY INVOKER
BEGIN
  DECLARE i INT DEFAULT 0; DECLARE wait_ms INT DEFAULT 10; -- counters
  DECLARE lock_timeout CONDITION FOR 1205; -- named condition
  DECLARE CONTINUE HANDLER FOR lock_timeout, SQLWARNING SET wait_ms = wait_ms * 2; -- retry
  WHILE i < p_tries DO SET i = i + 1; END WHILE; -- count
  REPEAT SET wait_ms = wait_ms - 1; UNTIL wait_ms <= 0 END REPEAT; -- drain
  outer_block: BEGIN -- labelled
    CASE p_tries WHEN 0 THEN LEAVE outer_block; WHEN 1 THEN SET i = 1; ELSE SET i = CASE WHEN p_tries > 9 THEN 9 ELSE p_tries END; END CASE; -- pick
    CASE WHEN i > 5 THEN SELECT 'many'; ELSE BEGIN END; END CASE; -- searched CASE
  END outer_block; -- end
  lbl: WHILE i > 0 DO SET i = i - 1; IF i = 3 THEN ITERATE lbl; END IF; END WHILE lbl; -- iterate
  DO SLEEP(0); -- a DO statement
END;
-- @exec
-- @after DROP PROCEDURE IF EXISTS trade.noop
CREATE OR REPLACE PROCEDURE noop() BEGIN END;
-- @exec
-- @after DROP PROCEDURE IF EXISTS trade.archive_user
CREATE PROCEDURE IF NOT EXISTS archive_user(p_user_id BIGINT) BEGIN NOT ATOMIC START TRANSACTION; DELETE FROM orders WHERE user_id = p_user_id AND deleted_at IS NOT NULL; COMMIT; END;
-- @exec
-- @after DROP PROCEDURE IF EXISTS trade.recent_orders
CREATE PROCEDURE recent_orders(p_user_id BIGINT) SELECT order_id, amount FROM orders WHERE user_id = p_user_id ORDER BY created_at DESC LIMIT 10;
-- @exec
-- @allow-error 1418,1419
-- @after DROP FUNCTION IF EXISTS trade.order_total
CREATE FUNCTION order_total(p_order_id BIGINT) RETURNS decimal(12,2)
    READS SQL DATA
RETURN (SELECT SUM(price * quantity) FROM order_items WHERE order_id = p_order_id);
-- @exec
-- @allow-error 1227,1418,1419
-- @after DROP FUNCTION IF EXISTS trade.status_label
CREATE DEFINER=`root`@`localhost` FUNCTION `status_label`(p_status VARCHAR(16)) RETURNS varchar(32) CHARSET utf8mb4 COLLATE utf8mb4_unicode_ci
    DETERMINISTIC
BEGIN
  DECLARE v_label VARCHAR(32); -- result
  CASE p_status WHEN 'new' THEN SET v_label = 'New'; WHEN 'paid' THEN SET v_label = 'Paid'; ELSE SET v_label = CONCAT('Other: ', p_status); END CASE; -- map
  RETURN v_label; -- done
END;
-- @exec
-- @allow-error 1418,1419
-- @after DROP FUNCTION IF EXISTS account.cents
CREATE FUNCTION account.cents(p_amount DECIMAL(14,2)) RETURNS BIGINT DETERMINISTIC NO SQL RETURN ROUND(p_amount * 100);
-- What mariadb-dump writes for a trigger (version-gated pieces).
-- @exec
-- @allow-error 1227,1419
-- @after DROP TRIGGER IF EXISTS trade.orders_bi
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER orders_bi BEFORE INSERT ON `orders` FOR EACH ROW SET NEW.status = IFNULL(NEW.status, 'new') */;
-- @exec
-- @allow-error 1419
-- @after DROP TRIGGER IF EXISTS trade.items_ai
CREATE OR REPLACE TRIGGER trade.items_ai AFTER INSERT ON trade.order_items FOR EACH ROW
BEGIN
  UPDATE products SET stock = stock - NEW.quantity WHERE sku = NEW.sku; -- reserve stock
  IF NEW.quantity > 100 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'too many', MYSQL_ERRNO = 1644; END IF; -- guard
END;
-- @exec
-- @allow-error 1419
-- @after DROP TRIGGER IF EXISTS account.accounts_bu
CREATE TRIGGER IF NOT EXISTS account.accounts_bu BEFORE UPDATE ON account.accounts FOR EACH ROW SET NEW.version = OLD.version + 1, NEW.updated_at = NOW(6);
-- @exec
-- @allow-error 1419
-- @after DROP TRIGGER IF EXISTS trade.orders_ad2
CREATE TRIGGER orders_ad2 AFTER DELETE ON orders FOR EACH ROW FOLLOWS orders_ad1 INSERT INTO shipments (order_id, user_id, carrier) VALUES (OLD.order_id, OLD.user_id, 'none');
-- What mariadb-dump writes for an event.
-- @exec
-- @allow-error 1227
-- @after DROP EVENT IF EXISTS trade.purge_orders
/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `purge_orders` ON SCHEDULE EVERY 1 DAY STARTS '2024-01-01 00:00:00' ON COMPLETION NOT PRESERVE DISABLE ON SLAVE DO DELETE FROM orders WHERE deleted_at < NOW() - INTERVAL 30 DAY */;
-- @exec
-- @after DROP EVENT IF EXISTS trade.nightly
CREATE EVENT IF NOT EXISTS nightly ON SCHEDULE AT CURRENT_TIMESTAMP + INTERVAL 1 HOUR ON COMPLETION PRESERVE DISABLE COMMENT 'one-off'
DO BEGIN INSERT INTO orders (user_id, status) VALUES (1, 'nightly'); UPDATE orders SET status = 'done' WHERE status = 'nightly'; END;
-- @exec
-- @after DROP EVENT IF EXISTS account.rollup
CREATE OR REPLACE EVENT account.rollup ON SCHEDULE EVERY 15 MINUTE STARTS CURRENT_TIMESTAMP ENDS CURRENT_TIMESTAMP + INTERVAL 1 WEEK ENABLE DO CALL account.get_balance(1);
-- @exec
DROP PROCEDURE IF EXISTS `settle_order`;
-- @exec
-- @before CREATE PROCEDURE trade.tmp_proc() SELECT 1
DROP PROCEDURE trade.tmp_proc;
-- @exec
DROP FUNCTION IF EXISTS order_total;
-- @exec
-- @allow-error 1419
DROP TRIGGER IF EXISTS trade.orders_bi;
-- @exec
DROP EVENT IF EXISTS `purge_orders`;
