#include "platform/base/csv.h"

#include "gtest/gtest.h"

namespace oms {
namespace {

TEST(CsvTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvRecord({"a", "b c", "1"}), "a,b c,1\r\n");
  EXPECT_EQ(CsvRecord({"x,y", "say \"hi\"", "two\nlines", ""}),
            "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
}

TEST(CsvTest, ChineseTextPassesThroughIntact) {
  EXPECT_EQ(CsvRecord({"龙井茶 250g", "上海，浦东"}), "龙井茶 250g,上海，浦东\r\n");
}

}  // namespace
}  // namespace oms
