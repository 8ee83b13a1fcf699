#include "proxy/session/collation.h"

namespace shardproxy::session {

uint8_t MapClientCollation(uint16_t id) {
  switch (id) {
    case 255:
      return kUtf8mb4Unicode520Ci;  // utf8mb4_0900_ai_ci
    case 256:
      return 244;  // de_pb_0900_ai_ci -> utf8mb4_german2_ci
    case 257:
      return 225;  // is -> utf8mb4_icelandic_ci
    case 258:
      return 226;  // lv -> utf8mb4_latvian_ci
    case 259:
      return 227;  // ro -> utf8mb4_romanian_ci
    case 260:
      return 228;  // sl -> utf8mb4_slovenian_ci
    case 261:
      return 229;  // pl -> utf8mb4_polish_ci
    case 262:
      return 230;  // et -> utf8mb4_estonian_ci
    case 263:
      return 231;  // es -> utf8mb4_spanish_ci
    case 264:
      return 232;  // sv -> utf8mb4_swedish_ci
    case 265:
      return 233;  // tr -> utf8mb4_turkish_ci
    case 266:
      return 234;  // cs -> utf8mb4_czech_ci
    case 267:
      return 235;  // da -> utf8mb4_danish_ci
    case 268:
      return 236;  // lt -> utf8mb4_lithuanian_ci
    case 269:
      return 237;  // sk -> utf8mb4_slovak_ci
    case 270:
      return 238;  // es_trad -> utf8mb4_spanish2_ci
    case 271:
      return 239;  // la -> utf8mb4_roman_ci
    case 273:
      return 241;  // eo -> utf8mb4_esperanto_ci
    case 274:
      return 242;  // hu -> utf8mb4_hungarian_ci
    case 275:
      return 245;  // hr -> utf8mb4_croatian_ci
    case 277:
      return 247;  // vi -> utf8mb4_vietnamese_ci
    case 305:
      return kUtf8mb4Unicode520Ci;  // utf8mb4_0900_as_ci
    case 306:
      return kUtf8mb4Unicode520Ci;  // ru_0900_ai_ci
    case 310:
      return 235;  // nb_0900_ai_ci -> utf8mb4_danish_ci (same order)
    case 312:
      return 235;  // nn_0900_ai_ci -> utf8mb4_danish_ci
    case 314:
      return 245;  // sr_latn_0900_ai_ci -> utf8mb4_croatian_ci
    case 316:
      return 245;  // bs_0900_ai_ci -> utf8mb4_croatian_ci
    case 318:
      return kUtf8mb4Unicode520Ci;  // bg_0900_ai_ci
    case 320:
      return kUtf8mb4Unicode520Ci;  // gl_0900_ai_ci
    case 322:
      return kUtf8mb4Unicode520Ci;  // mn_cyrl_0900_ai_ci
    default:
      break;
  }
  if (id >= 256 && id <= 323) return kUtf8mb4Bin;  // *_0900_as_cs, ja/zh, utf8mb4_0900_bin
  if (id > 255) return kUtf8mb4GeneralCi;          // unknown 2-byte id: MariaDB's utf8mb4 default
  return static_cast<uint8_t>(id);
}

std::string_view CharsetOfCollation(uint8_t id) {
  switch (id) {
    case 5:
    case 8:
    case 15:
    case 31:
    case 47:
    case 48:
    case 49:
    case 94:
      return "latin1";
    case 33:
    case 83:
      return "utf8mb3";
    case 45:
    case 46:
      return "utf8mb4";
    case 63:
      return "binary";
    default:
      break;
  }
  if (id >= 192 && id <= 215) return "utf8mb3";
  if (id >= 224 && id <= 247) return "utf8mb4";
  return "unknown";
}

}  // namespace shardproxy::session
