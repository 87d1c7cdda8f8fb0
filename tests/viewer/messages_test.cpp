// The message bar shows the newer message: a confirmation is never hidden under an older error.
#include <gtest/gtest.h>

#include "viewer/state/messages.h"

using namespace nt::viewer;

TEST(Messages, AConfirmationShowsOverAnOlderErrorUntilItTimesOut) {
    Messages m;
    const auto t0 = Messages::Clock::now();
    m.error("Cannot stylize: no model");
    m.info("Saved result to a.png", t0);
    ASSERT_TRUE(m.shown());
    EXPECT_EQ(*m.shown()->text, "Saved result to a.png");  // the bug: the error bar hid it
    EXPECT_FALSE(m.shown()->is_error);
    m.expire(t0 + std::chrono::seconds(7));
    ASSERT_TRUE(m.shown());
    EXPECT_TRUE(m.shown()->is_error);  // the error is still there once the confirmation ends
    EXPECT_EQ(*m.shown()->text, "Cannot stylize: no model");
}

TEST(Messages, ANewerErrorShowsOverAConfirmationAndDismissClearsWhatIsShown) {
    Messages m;
    m.info("Saved");
    m.error("Cannot save the mask");
    EXPECT_TRUE(m.shown()->is_error);
    m.dismiss_shown();
    EXPECT_EQ(*m.shown()->text, "Saved");
    m.dismiss_shown();
    EXPECT_FALSE(m.shown());
}

TEST(Messages, ASuccessAnswersOnlyItsOwnKindOfError) {
    Messages m;
    m.error("Cannot load mask: x.png: no such file");
    m.clear_error_starting_with("Cannot load content");
    EXPECT_FALSE(m.error_text().empty());
    m.clear_error_starting_with("Cannot load mask");
    EXPECT_TRUE(m.error_text().empty());
}

TEST(Messages, ADoneLoadingMessageIsClearedAndUncoversTheError) {
    Messages m;
    m.info("Loading a.png\xE2\x80\xA6");
    m.error("Cannot load content picture: b.png: no such file");
    m.clear_info_starting_with("Saved");
    EXPECT_FALSE(m.info_text().empty());
    m.clear_info_starting_with("Loading ");
    EXPECT_TRUE(m.info_text().empty());
    ASSERT_TRUE(m.shown());
    EXPECT_TRUE(m.shown()->is_error);
}

// Issue 26: one message per source. A failed load's error replaces its "Loading", so Dismiss
// does not uncover a "Loaded missing.jpg" nor a "Loading ..." that never ends.
TEST(Messages, AFailedLoadReplacesItsLoadingAndDismissLeavesNothingOfIt) {
    Messages m;
    m.info(MessageSource::Content, "Loading missing.jpg\xE2\x80\xA6");
    m.error(MessageSource::Content, "Cannot load content picture: missing.jpg: no such file");
    ASSERT_TRUE(m.shown());
    EXPECT_TRUE(m.shown()->is_error);
    EXPECT_TRUE(m.info_text().empty());
    m.dismiss_shown();
    EXPECT_FALSE(m.shown());
}

TEST(Messages, EachSourceKeepsItsOwnMessageAndClearingOneLeavesTheOthers) {
    Messages m;
    m.error(MessageSource::Mask, "Cannot load mask: m.png: no such file");
    m.error(MessageSource::Style, "Cannot load style picture: s.png: not a picture");
    m.info(MessageSource::Content, "Loaded c.jpg");
    EXPECT_EQ(*m.shown()->text, "Loaded c.jpg");
    m.clear(MessageSource::Style);  // a new style: what was said of the old one is stale
    EXPECT_EQ(m.text_of(MessageSource::Style), nullptr);
    EXPECT_EQ(m.error_text(), "Cannot load mask: m.png: no such file");
    m.info(MessageSource::Mask, "Loaded m2.png");  // the mask's error is answered
    EXPECT_TRUE(m.error_text().empty());
    ASSERT_NE(m.text_of(MessageSource::Content), nullptr);
}

TEST(Messages, TheEarliestConfirmationSetsTheWakeUp) {
    Messages m;
    const auto t0 = Messages::Clock::now();
    m.info(MessageSource::Export, "Saved a.png", t0);
    m.info(MessageSource::Content, "Loaded b.jpg", t0 + std::chrono::seconds(2));
    ASSERT_TRUE(m.info_deadline());
    EXPECT_EQ(*m.info_deadline(), t0 + std::chrono::milliseconds(6000));
    m.expire(t0 + std::chrono::milliseconds(6500));
    EXPECT_EQ(m.info_text(), "Loaded b.jpg");
}
