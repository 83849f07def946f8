//! The messages, each in plain text and HTML, in GOV.UK Notify's plain
//! style: a short subject, a few short paragraphs, one link on a line of its
//! own, no images and no tracking.
//!
//! A new message is a function here that fills in [`Message::notify`].

use maud::{html, PreEscaped, DOCTYPE};

/// One email, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// What it is for, shown to admins: `invitation`, `password_reset`, …
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A paragraph, or the link the message is about.
pub enum Block<'a> {
    Paragraph(&'a str),
    Link { url: &'a str },
}

impl Message {
    /// The template: greeting, blocks in order, sign-off. Text is escaped
    /// in the HTML part; the link is written out in full in both parts
    /// (Notify's advice: people should see where a link goes).
    pub fn notify(
        kind: &'static str,
        to: &str,
        subject: &str,
        greeting_name: &str,
        blocks: &[Block<'_>],
    ) -> Message {
        let greeting = format!("Hello {greeting_name},");
        let sign_off = "From the Q&A team";
        let mut text = format!("{greeting}\n\n");
        for block in blocks {
            match block {
                Block::Paragraph(words) => text.push_str(&format!("{words}\n\n")),
                Block::Link { url } => text.push_str(&format!("{url}\n\n")),
            }
        }
        text.push_str(sign_off);
        text.push('\n');
        let body = html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    title { (subject) }
                }
                body style="font-family: Helvetica, Arial, sans-serif; font-size: 19px; line-height: 1.3; color: #0b0c0c; margin: 0; padding: 20px; max-width: 580px;" {
                    p { (greeting) }
                    @for block in blocks {
                        @match block {
                            Block::Paragraph(words) => p { (words) },
                            Block::Link { url } => p { a href=(url) style="color: #1d70b8;" { (url) } },
                        }
                    }
                    p { (sign_off) }
                }
            }
        };
        Message {
            kind,
            to: to.to_owned(),
            subject: subject.to_owned(),
            text,
            html: PreEscaped(body.into_string()).0,
        }
    }
}

/// An invitation to make an account: the link sets a password.
pub fn invitation(to: &str, name: &str, role_words: &str, inviter: &str, url: &str) -> Message {
    let invited = format!("{inviter} has invited you to edit Q&A pages as {role_words}.");
    Message::notify(
        "invitation",
        to,
        "You have been invited to edit Q&A pages",
        name,
        &[
            Block::Paragraph(&invited),
            Block::Paragraph("Use this link to set your password and sign in:"),
            Block::Link { url },
            Block::Paragraph("The link works once, for 7 days."),
            Block::Paragraph("If you were not expecting this email, you can ignore it."),
        ],
    )
}

/// A password reset link, valid for an hour.
pub fn password_reset(to: &str, name: &str, url: &str) -> Message {
    Message::notify(
        "password_reset",
        to,
        "Reset your Q&A password",
        name,
        &[
            Block::Paragraph("Someone asked to reset the password for your Q&A account."),
            Block::Paragraph("Use this link to choose a new password:"),
            Block::Link { url },
            Block::Paragraph("The link works once, for 1 hour. Resetting your password signs you out everywhere."),
            Block::Paragraph("If you did not ask for this, you can ignore this email: your password stays the same."),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_html_carry_the_link_and_html_escapes_text() {
        let message = invitation(
            "a@example.org",
            "Ann <b>",
            "an editor",
            "Sam",
            "https://x.test/admin/invitation?token=abc&x=1",
        );
        assert!(message.text.contains("Hello Ann <b>,"));
        assert!(message
            .text
            .contains("https://x.test/admin/invitation?token=abc&x=1\n"));
        assert!(message.html.contains("Hello Ann &lt;b&gt;,"));
        assert!(message
            .html
            .contains("href=\"https://x.test/admin/invitation?token=abc&amp;x=1\""));
    }
}
