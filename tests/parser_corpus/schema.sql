-- Objects every valid corpus statement refers to. Executed statement by statement
-- (entries end with ';' at the end of a line) by tests/integration/test_parser_corpus.py,
-- after it maps the schema names (see README.md). Routine bodies are single
-- statements so no DELIMITER is needed.
CREATE DATABASE trade DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE account DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE shardproxy_corpus DEFAULT CHARACTER SET utf8mb4;

CREATE TABLE trade.orders (
  order_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id BIGINT UNSIGNED NOT NULL,
  amount DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  status VARCHAR(16) NOT NULL DEFAULT 'new',
  channel VARCHAR(16) NULL,
  coupon_code VARCHAR(32) NULL,
  note TEXT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  deleted_at DATETIME NULL,
  PRIMARY KEY (order_id),
  KEY idx_user (user_id),
  KEY idx_status_created (status, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE trade.order_items (
  item_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  sku VARCHAR(32) NOT NULL,
  quantity INT NOT NULL DEFAULT 1,
  price DECIMAL(12,2) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (item_id),
  KEY idx_order (order_id),
  KEY idx_user_sku (user_id, sku)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE trade.products (
  sku VARCHAR(32) NOT NULL,
  title VARCHAR(200) NOT NULL,
  category VARCHAR(32) NOT NULL,
  price DECIMAL(12,2) NOT NULL,
  stock INT NOT NULL DEFAULT 0,
  attrs JSON NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (sku),
  FULLTEXT KEY ft_title (title)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE trade.shipments (
  shipment_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  carrier VARCHAR(32) NOT NULL,
  tracking_no VARCHAR(64) NULL,
  shipped_at DATETIME NULL,
  delivered_at DATETIME NULL,
  PRIMARY KEY (shipment_id),
  KEY idx_order (order_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE SEQUENCE trade.order_seq START WITH 1000 INCREMENT BY 1;

CREATE TABLE account.accounts (
  user_id BIGINT UNSIGNED NOT NULL,
  email VARCHAR(255) NOT NULL,
  name VARCHAR(100) NOT NULL,
  balance DECIMAL(14,2) NOT NULL DEFAULT 0.00,
  currency CHAR(3) NOT NULL DEFAULT 'USD',
  status VARCHAR(16) NOT NULL DEFAULT 'active',
  version INT UNSIGNED NOT NULL DEFAULT 0,
  flags BIT(8) NOT NULL DEFAULT b'0',
  uuid BINARY(16) NULL,
  avatar BLOB NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (user_id),
  UNIQUE KEY uk_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE account.ledger (
  entry_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id BIGINT UNSIGNED NOT NULL,
  order_id BIGINT UNSIGNED NULL,
  delta DECIMAL(14,2) NOT NULL,
  balance_after DECIMAL(14,2) NOT NULL,
  reason VARCHAR(32) NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (entry_id),
  KEY idx_user_created (user_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE account.user_profiles (
  user_id BIGINT UNSIGNED NOT NULL,
  nickname VARCHAR(64) NULL,
  birthday DATE NULL,
  city VARCHAR(64) NULL,
  tags JSON NULL,
  PRIMARY KEY (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE shardproxy_corpus.kv (
  k VARCHAR(64) NOT NULL,
  v TEXT NULL,
  expires_at DATETIME NULL,
  PRIMARY KEY (k)
) ENGINE=InnoDB;

CREATE TABLE shardproxy_corpus.scratch (
  id INT NOT NULL AUTO_INCREMENT,
  payload VARCHAR(255) NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;

CREATE TABLE shardproxy_corpus.django_migrations (
  id INT NOT NULL AUTO_INCREMENT,
  app VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  applied DATETIME(6) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;

CREATE TABLE shardproxy_corpus.schema_migrations (
  version VARCHAR(255) NOT NULL,
  PRIMARY KEY (version)
) ENGINE=InnoDB;

CREATE TABLE shardproxy_corpus.ar_internal_metadata (
  `key` VARCHAR(255) NOT NULL,
  value VARCHAR(255) NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (`key`)
) ENGINE=InnoDB;

CREATE VIEW trade.v_open_orders AS SELECT order_id, user_id, amount FROM trade.orders WHERE status = 'new';

CREATE PROCEDURE account.get_balance(IN p_user_id BIGINT) SELECT balance FROM account.accounts WHERE user_id = p_user_id;

CREATE PROCEDURE trade.close_order(IN p_order_id BIGINT, IN p_reason VARCHAR(32)) UPDATE trade.orders SET status = 'closed', note = p_reason WHERE order_id = p_order_id;

CREATE PROCEDURE trade.count_orders(IN p_user_id BIGINT, OUT p_count INT) SELECT COUNT(*) INTO p_count FROM trade.orders WHERE user_id = p_user_id;
