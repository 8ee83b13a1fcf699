// Client character sets the proxy refuses: those in which a multi-byte
// character may contain the byte 0x5C ('\'), so a byte-wise SQL lexer (the
// digest lexer, ANTLR) could end or escape a string literal in the middle of a
// character: big5, gbk, sjis, cp932 (and their collations). Checked at
// connect (handshake collation id), COM_CHANGE_USER, and on SET NAMES /
// SET CHARACTER SET / SET character_set_client before they reach a backend.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace shardproxy::session {

// The refused character set of a collation id ("gbk"), or nullopt: the
// handshake's 1-byte id, or COM_CHANGE_USER's 2-byte one (MariaDB's NOPAD
// collations are the PAD ones + 1024, e.g. gbk_chinese_nopad_ci 1052).
std::optional<std::string> RefusedCharsetOfCollation(uint16_t collation_id);
// The refused character set named by `name` (a charset or a collation name,
// any case, optionally quoted: gbk, 'GBK', gbk_bin, `big5_chinese_ci`), or nullopt.
std::optional<std::string> RefusedCharsetOfName(std::string_view name);
// ERR 1115 (42000): "shardproxy: character set 'gbk' is not supported: ..."
Status RefusedCharsetError(std::string_view charset);

}  // namespace shardproxy::session
