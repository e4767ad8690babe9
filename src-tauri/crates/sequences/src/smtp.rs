//! "Send a test e-mail to myself": the user's SMTP settings and one send
//! through lettre. Settings live beside the app settings, in `smtp.json` in
//! the config folder (written atomically, owner-only on Unix). The password
//! is kept there as typed (the OS keychain is not used yet), never logged
//! (`Debug` redacts it) and never sent back to the UI: the UI sees whether
//! one is set.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message as Email, SmtpTransport, Transport};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::message::EmailPreview;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain SMTP (a local relay or test server only).
    None,
    /// STARTTLS on the submission port (587), required.
    #[default]
    Starttls,
    /// TLS from the start (465).
    Tls,
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub username: Option<String>,
    /// Only ever sent from the UI; `password_set` says whether one is stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub password: Option<String>,
    pub password_set: bool,
    /// The sender, e.g. `Ann <ann@example.com>`.
    pub from: String,
    /// Where test e-mails go ("myself").
    pub to: String,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("from", &self.from)
            .field("to", &self.to)
            .finish()
    }
}

pub fn settings_file(config_dir: &Path) -> PathBuf {
    config_dir.join("smtp.json")
}

impl SmtpSettings {
    /// The stored settings; defaults when there are none or they are damaged.
    pub fn load(path: &Path) -> SmtpSettings {
        let mut s: SmtpSettings = std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        s.password_set = s.password.as_deref().is_some_and(|p| !p.is_empty());
        s
    }

    /// As the UI may see them: without the password.
    pub fn for_display(&self) -> SmtpSettings {
        SmtpSettings {
            password: None,
            password_set: self.password.as_deref().is_some_and(|p| !p.is_empty()),
            ..self.clone()
        }
    }

    fn validate(&self) -> Result<()> {
        if self.host.trim().is_empty() {
            return Err(Error::Smtp("give the SMTP server's host name".into()));
        }
        if self.port == 0 {
            return Err(Error::Smtp(
                "give the SMTP server's port (587, 465 or 25)".into(),
            ));
        }
        self.from.parse::<Mailbox>().map_err(|e| {
            Error::Smtp(format!(
                "the sender {:?} is not an e-mail address: {e}",
                self.from
            ))
        })?;
        self.to.parse::<Mailbox>().map_err(|e| {
            Error::Smtp(format!(
                "the recipient {:?} is not an e-mail address: {e}",
                self.to
            ))
        })?;
        Ok(())
    }

    /// Saves `new`; a missing password keeps the stored one.
    pub fn save(path: &Path, new: &SmtpSettings) -> Result<SmtpSettings> {
        new.validate()?;
        let old = SmtpSettings::load(path);
        let mut s = new.clone();
        if s.password.is_none() {
            s.password = old.password;
        }
        s.password_set = s.password.as_deref().is_some_and(|p| !p.is_empty());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                op: "create the folder",
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(
            &tmp,
            serde_json::to_vec_pretty(&s).expect("settings serialise"),
        )
        .map_err(|source| Error::Io {
            op: "write",
            path: tmp.clone(),
            source,
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600));
        }
        std::fs::rename(&tmp, path).map_err(|source| Error::Io {
            op: "replace",
            path: path.to_path_buf(),
            source,
        })?;
        Ok(s.for_display())
    }
}

/// Sends `preview` (subject, HTML and plain text) to `settings.to`.
/// Blocking: call it off the UI thread (`send_test_email_async`).
pub fn send_test_email(settings: &SmtpSettings, preview: &EmailPreview) -> Result<()> {
    settings.validate()?;
    let from: Mailbox = settings
        .from
        .parse()
        .map_err(|e| Error::Smtp(format!("{e}")))?;
    let to: Mailbox = settings
        .to
        .parse()
        .map_err(|e| Error::Smtp(format!("{e}")))?;
    let email = Email::builder()
        .from(from)
        .to(to)
        .subject(format!("[Test] {}", preview.subject))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(preview.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(preview.html_document.clone()),
                ),
        )
        .map_err(|e| Error::Smtp(e.to_string()))?;
    let host = settings.host.trim();
    let builder = match settings.security {
        SmtpSecurity::None => SmtpTransport::builder_dangerous(host),
        SmtpSecurity::Starttls => {
            SmtpTransport::starttls_relay(host).map_err(|e| Error::Smtp(format!("{host}: {e}")))?
        }
        SmtpSecurity::Tls => {
            SmtpTransport::relay(host).map_err(|e| Error::Smtp(format!("{host}: {e}")))?
        }
    };
    let mut builder = builder
        .port(settings.port)
        .timeout(Some(Duration::from_secs(20)));
    if let Some(user) = settings.username.as_ref().filter(|u| !u.is_empty()) {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            settings.password.clone().unwrap_or_default(),
        ));
    }
    builder
        .build()
        .send(&email)
        .map_err(|e| Error::Smtp(format!("{host}:{}: {e}", settings.port)))?;
    Ok(())
}

pub async fn send_test_email_async(settings: SmtpSettings, preview: EmailPreview) -> Result<()> {
    tokio::task::spawn_blocking(move || send_test_email(&settings, &preview))
        .await
        .map_err(|e| Error::Smtp(format!("the sending task failed: {e}")))?
}

#[cfg(test)]
pub(crate) mod sink {
    //! A minimal SMTP server for tests: accepts one session, answers every
    //! command, and hands back the envelope and the message it received.
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::sync::mpsc;

    pub struct Received {
        pub mail_from: String,
        pub rcpt_to: Vec<String>,
        pub data: String,
    }

    pub fn start() -> (u16, mpsc::Receiver<Received>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let (stream, _) = listener.accept().expect("accept");
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut out = stream;
            let mut got = Received {
                mail_from: String::new(),
                rcpt_to: Vec::new(),
                data: String::new(),
            };
            out.write_all(b"220 sink ESMTP test\r\n").unwrap();
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let cmd = line.trim_end().to_string();
                let upper = cmd.to_ascii_uppercase();
                if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                    out.write_all(b"250-sink\r\n250 8BITMIME\r\n").unwrap();
                } else if upper.starts_with("MAIL FROM:") {
                    got.mail_from = cmd[10..].to_string();
                    out.write_all(b"250 OK\r\n").unwrap();
                } else if upper.starts_with("RCPT TO:") {
                    got.rcpt_to.push(cmd[8..].to_string());
                    out.write_all(b"250 OK\r\n").unwrap();
                } else if upper == "DATA" {
                    out.write_all(b"354 go ahead\r\n").unwrap();
                    loop {
                        line.clear();
                        reader.read_line(&mut line).unwrap();
                        if line == ".\r\n" {
                            break;
                        }
                        got.data.push_str(&line);
                    }
                    out.write_all(b"250 queued\r\n").unwrap();
                } else if upper == "QUIT" {
                    out.write_all(b"221 bye\r\n").unwrap();
                    break;
                } else {
                    out.write_all(b"250 OK\r\n").unwrap();
                }
            }
            tx.send(got).unwrap();
        });
        (port, rx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{preview_email, PersonFields};
    use crate::model::{Message, Step};

    #[test]
    fn a_test_email_reaches_a_local_smtp_server() {
        let (port, received) = sink::start();
        let flow = crate::templates::abandoned_cart();
        let Some(Step::Message {
            message: Message::Email(t),
            ..
        }) = flow.step("cart-email-1")
        else {
            panic!("template changed");
        };
        let person = PersonFields {
            person_id: 1,
            first_name: Some("Zoe".into()),
            time_zone: "UTC".into(),
            ..Default::default()
        };
        let preview = preview_email(t, &person, 0).unwrap();
        let settings = SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            from: "Rebound <shop@example.com>".into(),
            to: "me@example.com".into(),
            ..Default::default()
        };
        send_test_email(&settings, &preview).unwrap();
        let got = received
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap();
        assert_eq!(got.mail_from, "<shop@example.com>");
        assert_eq!(got.rcpt_to, vec!["<me@example.com>".to_string()]);
        assert!(got.data.contains("multipart/alternative"), "{}", got.data);
        assert!(got.data.contains("text/plain") && got.data.contains("text/html"));
        assert!(
            got.data
                .contains("Subject: [Test] Zoe, you left something behind"),
            "{}",
            got.data
        );
    }

    #[test]
    fn a_refused_connection_is_a_clear_error_and_the_password_is_not_printed() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let settings = SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            username: Some("ann".into()),
            password: Some("hunter2".into()),
            from: "shop@example.com".into(),
            to: "me@example.com".into(),
            ..Default::default()
        };
        let preview = EmailPreview {
            subject_variant: 0,
            subject: "s".into(),
            preheader: String::new(),
            html_document: "<p>x</p>".into(),
            text: "x".into(),
            warnings: vec![],
        };
        let err = send_test_email(&settings, &preview).unwrap_err();
        assert_eq!(err.code(), rebound_core::ErrorCode::Smtp);
        assert!(
            err.to_string().contains(&format!("127.0.0.1:{port}")),
            "{err}"
        );
        assert!(!format!("{settings:?}").contains("hunter2"));
    }

    #[test]
    fn saving_keeps_the_stored_password_and_never_shows_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = settings_file(dir.path());
        let mut s = SmtpSettings {
            host: "smtp.example.com".into(),
            port: 587,
            username: Some("ann".into()),
            password: Some("hunter2".into()),
            from: "ann@example.com".into(),
            to: "ann@example.com".into(),
            ..Default::default()
        };
        let shown = SmtpSettings::save(&path, &s).unwrap();
        assert!(shown.password.is_none() && shown.password_set);
        s.password = None;
        s.port = 465;
        SmtpSettings::save(&path, &s).unwrap();
        let stored = SmtpSettings::load(&path);
        assert_eq!(
            (stored.port, stored.password.as_deref()),
            (465, Some("hunter2"))
        );
        s.from = "not an address".into();
        assert!(SmtpSettings::save(&path, &s)
            .unwrap_err()
            .to_string()
            .contains("not an e-mail address"));
    }
}
