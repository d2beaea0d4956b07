#include "platform/storage/postgres_dialect.h"

#include <cctype>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace oms {
namespace {

enum class Kind { kWord, kQuoted, kParam, kSemicolon, kSpace, kOther };

struct Token {
  Kind kind;
  std::string text;
  std::string upper;  // words only
};

bool IsWordStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Splits SQL into tokens, keeping quoted strings, quoted names and comments whole so that
// nothing inside them is translated.
std::vector<Token> Tokenize(absl::string_view sql) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    size_t start = i;
    Kind kind = Kind::kOther;
    if (c == '\'' || c == '"') {
      ++i;
      while (i < sql.size()) {
        if (sql[i] == c && i + 1 < sql.size() && sql[i + 1] == c) {
          i += 2;  // doubled quote inside the literal
        } else if (sql[i++] == c) {
          break;
        }
      }
      kind = Kind::kQuoted;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
      kind = Kind::kSpace;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
      kind = Kind::kSpace;
    } else if (IsWordStart(c)) {
      while (i < sql.size() && IsWordChar(sql[i])) ++i;
      kind = Kind::kWord;
    } else {
      ++i;
      kind = c == '?' ? Kind::kParam : c == ';' ? Kind::kSemicolon : Kind::kOther;
    }
    Token token{kind, std::string(sql.substr(start, i - start)), ""};
    if (kind == Kind::kWord) token.upper = absl::AsciiStrToUpper(token.text);
    tokens.push_back(std::move(token));
  }
  return tokens;
}

// The index of the n-th word token of a statement, or -1.
int NthWord(const std::vector<Token>& statement, int n) {
  for (size_t i = 0; i < statement.size(); ++i) {
    if (statement[i].kind == Kind::kWord && n-- == 0) return static_cast<int>(i);
  }
  return -1;
}

bool WordIs(const std::vector<Token>& statement, int index, absl::string_view upper) {
  return index >= 0 && statement[index].upper == upper;
}

// Removes the token at `index` and the whitespace after it.
void EraseWord(std::vector<Token>& statement, int index) {
  size_t end = index + 1;
  while (end < statement.size() && statement[end].kind == Kind::kSpace) ++end;
  statement.erase(statement.begin() + index, statement.begin() + end);
}

// INSERT OR IGNORE: drops OR IGNORE and adds ON CONFLICT DO NOTHING before a top-level
// RETURNING, or at the end.
absl::Status TranslateInsertOr(std::vector<Token>& statement, int or_index) {
  int what = NthWord(statement, 2);
  if (!WordIs(statement, what, "IGNORE")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "INSERT OR ", what >= 0 ? statement[what].text : "", " has no PostgreSQL form: write ",
        "INSERT ... ON CONFLICT(key) DO UPDATE SET ..., which both engines run"));
  }
  EraseWord(statement, what);
  EraseWord(statement, or_index);
  int depth = 0;
  size_t at = statement.size();
  while (at > 0 && statement[at - 1].kind == Kind::kSpace) --at;
  for (size_t i = 0; i < statement.size(); ++i) {
    if (statement[i].text == "(") ++depth;
    if (statement[i].text == ")") --depth;
    if (depth == 0 && statement[i].upper == "RETURNING") {
      at = i;
      break;
    }
  }
  bool before_returning = at < statement.size() && statement[at].upper == "RETURNING";
  statement.insert(
      statement.begin() + at,
      Token{Kind::kOther, before_returning ? "ON CONFLICT DO NOTHING " : " ON CONFLICT DO NOTHING",
            ""});
  return absl::OkStatus();
}

// Column types in CREATE and ALTER statements.
void TranslateTypes(std::vector<Token>& statement) {
  for (size_t i = 0; i < statement.size(); ++i) {
    Token& token = statement[i];
    if (token.kind != Kind::kWord) continue;
    if (token.upper == "AUTOINCREMENT") {
      // INTEGER PRIMARY KEY AUTOINCREMENT: the INTEGER three words back is already BIGINT.
      int words = 0;
      for (size_t j = i; j-- > 0;) {
        if (statement[j].kind != Kind::kWord) continue;
        if (++words == 3 && statement[j].upper == "BIGINT") statement[j].text = "BIGSERIAL";
        if (words == 3) break;
      }
      token.text = "";
    } else if (token.upper == "INTEGER") {
      token.text = "BIGINT";
    } else if (token.upper == "BLOB") {
      token.text = "BYTEA";
    } else if (token.upper == "REAL") {
      token.text = "DOUBLE PRECISION";
    }
    if (token.kind == Kind::kWord) token.upper = absl::AsciiStrToUpper(token.text);
  }
}

// The index of the first word token after `from`, or -1.
int NextWord(const std::vector<Token>& statement, int from) {
  for (size_t j = from + 1; j < statement.size(); ++j) {
    if (statement[j].kind == Kind::kWord) return static_cast<int>(j);
  }
  return -1;
}

// Removes tokens [from, to] and the whitespace after them.
void EraseWords(std::vector<Token>& statement, int from, int to) {
  size_t end = to + 1;
  while (end < statement.size() && statement[end].kind == Kind::kSpace) ++end;
  statement.erase(statement.begin() + from, statement.begin() + end);
}

// INDEXED BY name / NOT INDEXED: SQLite's planner hints; PostgreSQL's planner takes none.
void DropIndexHints(std::vector<Token>& statement) {
  for (size_t i = 0; i < statement.size(); ++i) {
    if (statement[i].kind != Kind::kWord) continue;
    int next = NextWord(statement, static_cast<int>(i));
    if (statement[i].upper == "INDEXED" && WordIs(statement, next, "BY")) {
      int name = NextWord(statement, next);
      if (name >= 0) EraseWords(statement, static_cast<int>(i), name);
    } else if (statement[i].upper == "NOT" && WordIs(statement, next, "INDEXED")) {
      EraseWords(statement, static_cast<int>(i), next);
    }
  }
}

absl::Status TranslateStatement(std::vector<Token>& statement) {
  int first = NthWord(statement, 0);
  if (first < 0) return absl::OkStatus();
  DropIndexHints(statement);
  const std::string& verb = statement[first].upper;
  if (verb == "CREATE" || verb == "ALTER") {
    int second = NthWord(statement, 1);
    int third = NthWord(statement, 2);
    if (WordIs(statement, second, "TRIGGER") || WordIs(statement, third, "TRIGGER")) {
      return absl::InvalidArgumentError(
          "triggers differ between SQLite and PostgreSQL: give the migration a PostgreSQL "
          "form (Migration::PerEngine)");
    }
    TranslateTypes(statement);
  }
  if (verb == "INSERT" || verb == "REPLACE") {
    int second = NthWord(statement, 1);
    if (verb == "REPLACE") {
      return absl::InvalidArgumentError(
          "REPLACE INTO has no PostgreSQL form: write INSERT ... ON CONFLICT(key) DO UPDATE");
    }
    if (WordIs(statement, second, "OR")) return TranslateInsertOr(statement, second);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ToPostgres(absl::string_view sql) {
  std::vector<Token> tokens = Tokenize(sql);
  std::string out;
  out.reserve(sql.size() + 16);
  int param = 0;
  std::vector<Token> statement;
  auto flush = [&]() -> absl::Status {
    absl::Status translated = TranslateStatement(statement);
    if (!translated.ok()) {
      return absl::Status(translated.code(), absl::StrCat(translated.message(), " [", sql, "]"));
    }
    for (const Token& token : statement) {
      if (token.kind == Kind::kParam) {
        absl::StrAppend(&out, "$", ++param);
      } else {
        out += token.text;
      }
    }
    statement.clear();
    return absl::OkStatus();
  };
  for (Token& token : tokens) {
    bool end = token.kind == Kind::kSemicolon;
    statement.push_back(std::move(token));
    if (end) {
      absl::Status flushed = flush();
      if (!flushed.ok()) return flushed;
    }
  }
  absl::Status flushed = flush();
  if (!flushed.ok()) return flushed;
  return out;
}

}  // namespace oms
