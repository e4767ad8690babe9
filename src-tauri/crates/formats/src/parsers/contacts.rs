//! Contact lists with consent columns: e-mail, phone, names, an external id, and one
//! consent per channel read from columns such as `Email consent`, `SMS opt-in`,
//! `Accepts Marketing`, `Push subscribed` (yes/no, true/false, granted/denied, 1/0).

use super::text;
use crate::records::{Channel, Consent, Contact, Record};
use crate::rows::{Ctx, Header};
use crate::values::{is_blank, parse_bool};
use crate::{FileMeta, Format, FormatError};

/// The channel a consent column is about, or `None` when the column is not about consent.
pub(crate) fn consent_channel(header: &str) -> Option<Channel> {
    let h = header.trim().to_ascii_lowercase();
    let consent_word = [
        "consent",
        "opt-in",
        "opt in",
        "optin",
        "opted in",
        "subscribed",
        "accepts marketing",
        "marketing",
        "permission",
    ];
    if !consent_word.iter().any(|w| h.contains(w)) {
        return None;
    }
    Some(if h.contains("sms") || h.contains("text message") {
        Channel::Sms
    } else if h.contains("push") {
        Channel::Push
    } else if h.contains("phone") || h.contains("call") {
        Channel::Phone
    } else if h.contains("ads") || h.contains("advertising") {
        Channel::Ads
    } else {
        Channel::Email
    })
}

pub(crate) fn parse(ctx: &mut Ctx, meta: &mut FileMeta) -> Result<(), FormatError> {
    let Some(head) = ctx.next_row()? else {
        return Err(ctx.not_this(Format::ContactList, "it is empty"));
    };
    ctx.structural();
    meta.header = head.fields.clone();
    let h = Header::new(&head.fields);
    let email = h.find(&["email", "e-mail", "email address", "e-mail address"]);
    let phone = h.find(&["phone", "phone number", "mobile"]);
    if email.is_none() && phone.is_none() {
        return Err(ctx.not_this(Format::ContactList, "line 1 has no e-mail or phone column"));
    }
    let first = h.find(&["first name", "first_name", "firstname"]);
    let last = h.find(&["last name", "last_name", "lastname"]);
    let ext = h.find(&[
        "id",
        "customer id",
        "customer_id",
        "external_id",
        "contact id",
    ]);
    let consent_cols: Vec<(usize, Channel)> = head
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| consent_channel(f).map(|c| (i, c)))
        .collect();
    let known = [email, phone, first, last, ext];
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        let cell = |i: Option<usize>| i.and_then(|i| text(row.get(i)));
        let email_v = cell(email);
        if let Some(e) = &email_v {
            if !e.contains('@') {
                ctx.reject(
                    row.line,
                    Some(head.fields[email.unwrap_or(0)].trim()),
                    e,
                    format!("'{e}' is not an e-mail address"),
                );
                continue;
            }
        }
        let phone_v = cell(phone);
        if email_v.is_none() && phone_v.is_none() {
            ctx.reject(
                row.line,
                None,
                "",
                "the row has neither an e-mail address nor a phone number",
            );
            continue;
        }
        let mut consents = Vec::new();
        let mut bad = None;
        for (i, channel) in &consent_cols {
            match parse_bool(row.get(*i)) {
                Ok(Some(granted)) => consents.push(Consent {
                    channel: *channel,
                    granted,
                    column: head.fields[*i].trim().to_string(),
                }),
                Ok(None) => {}
                Err(r) => {
                    bad = Some((
                        head.fields[*i].trim().to_string(),
                        row.get(*i).to_string(),
                        r,
                    ));
                    break;
                }
            }
        }
        if let Some((c, v, r)) = bad {
            ctx.reject(row.line, Some(&c), &v, r);
            continue;
        }
        let other = head
            .fields
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                !known.contains(&Some(*i))
                    && !consent_cols.iter().any(|(c, _)| c == i)
                    && !is_blank(row.get(*i))
            })
            .map(|(i, n)| (n.trim().to_string(), row.get(i).trim().to_string()))
            .collect();
        let contact = Contact {
            line: row.line,
            email: email_v.map(|e| e.to_ascii_lowercase()),
            phone: phone_v,
            first_name: cell(first),
            last_name: cell(last),
            external_id: cell(ext),
            consents,
            other,
        };
        ctx.accept(Record::Contact(contact))?;
    }
    Ok(())
}
