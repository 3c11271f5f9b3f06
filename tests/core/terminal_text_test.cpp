// terminal_text: untrusted names shown on a terminal cannot move the cursor,
// clear the screen or forge a line (issue 15, item 10).
#include <gtest/gtest.h>

#include "base/encoding.h"

namespace {

using trustbundle::terminal_text;

TEST(TerminalText, PrintableUtf8Stays) {
  EXPECT_EQ(terminal_text("NetLock Arany (Class Gold) F\xc5\x91tan\xc3\xbas\xc3\xadtv\xc3\xa1ny"),
            "NetLock Arany (Class Gold) F\xc5\x91tan\xc3\xbas\xc3\xadtv\xc3\xa1ny");
  EXPECT_EQ(terminal_text("a.example.test, 127.0.0.1"), "a.example.test, 127.0.0.1");
}

TEST(TerminalText, ControlCharactersAreEscaped) {
  // The CN of the review: rewrites the REJECTED line on a terminal when raw.
  EXPECT_EQ(terminal_text("X\r\x1b[1A\x1b[2KOK: verified"), "X\\x0d\\x1b[1A\\x1b[2KOK: verified");
  EXPECT_EQ(terminal_text("line\nforged: OK\tx\x7f"), "line\\x0aforged: OK\\x09x\\x7f");
  EXPECT_EQ(terminal_text(std::string("nul\0byte", 8)), "nul\\x00byte");
}

TEST(TerminalText, C1AndBrokenUtf8AreEscaped) {
  EXPECT_EQ(terminal_text("csi\xc2\x9b" "31m"), "csi\\u009b31m");
  EXPECT_EQ(terminal_text("bad\xff\xfe"), "bad\\xff\\xfe");
  EXPECT_EQ(terminal_text("cut\xe2\x82"), "cut\\xe2\\x82");
}

}  // namespace
