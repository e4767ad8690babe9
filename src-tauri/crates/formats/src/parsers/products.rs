//! Product feeds: Google Merchant Center TSV/CSV (`price` as `4.50 USD`, `in_stock`,
//! `name(sub1:sub2)` sub-attribute headers with colon-separated values where an empty
//! part means "all"), the Meta catalog CSV (BOM, a first row of `# Required | ...`
//! descriptions, bracket-indexed names such as `video[0].url`, `in stock`) and the
//! Merchant Center RSS/Atom XML feed (`g:` elements, nested `g:shipping` children).
//!
//! Every source is turned into (attribute, value) pairs for one item, so the three share
//! one builder.

use crate::records::{Availability, Product, Record, SubAttribute};
use crate::rows::Ctx;
use crate::sniff::norm;
use crate::values::{is_blank, parse_money};
use crate::{FileMeta, Format, FormatError};
use quick_xml::events::Event as XmlEvent;
use std::io::BufRead;

/// `shipping(country:price)` → ("shipping", ["country", "price"]).
fn sub_attribute_header(h: &str) -> Option<(String, Vec<String>)> {
    let (name, rest) = h.trim().split_once('(')?;
    let inner = rest.strip_suffix(')')?;
    Some((
        name.to_string(),
        inner.split(':').map(str::to_string).collect(),
    ))
}

/// Builds a product from one item's (attribute, value) pairs; `Err` names the bad cell.
fn product(line: u64, pairs: &[(String, String)]) -> Result<Product, (String, String, String)> {
    let get = |names: &[&str]| {
        pairs
            .iter()
            .find(|(k, v)| names.contains(&norm(k).trim_start_matches("g:")) && !is_blank(v))
            .map(|(_, v)| v.trim().to_string())
    };
    let id = get(&["id"]).ok_or_else(|| {
        (
            "id".to_string(),
            String::new(),
            "the product id is empty".to_string(),
        )
    })?;
    let money = |name: &str| match get(&[name]) {
        Some(v) => parse_money(&v, None).map_err(|r| (name.to_string(), v.clone(), r)),
        None => Ok(None),
    };
    const KNOWN: [&str; 15] = [
        "id",
        "title",
        "description",
        "link",
        "image_link",
        "availability",
        "price",
        "sale_price",
        "brand",
        "condition",
        "item_group_id",
        "google_product_category",
        "product_type",
        "gtin",
        "mpn",
    ];
    let mut sub_attributes = Vec::new();
    let mut other = Vec::new();
    for (k, v) in pairs {
        if is_blank(v) {
            continue;
        }
        if let Some((attribute, parts)) = sub_attribute_header(k) {
            sub_attributes.push(SubAttribute {
                attribute,
                parts: parts
                    .into_iter()
                    .zip(v.split(':').map(|s| s.trim().to_string()))
                    .collect(),
            });
        } else if !KNOWN.contains(&norm(k).trim_start_matches("g:")) {
            other.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    Ok(Product {
        line,
        id,
        title: get(&["title"]),
        description: get(&["description"]),
        link: get(&["link"]),
        image_link: get(&["image_link", "image link"]),
        availability: get(&["availability"]).and_then(|a| Availability::parse(&a)),
        price: money("price")?,
        sale_price: money("sale_price")?,
        brand: get(&["brand"]),
        condition: get(&["condition"]),
        item_group_id: get(&["item_group_id"]),
        google_product_category: get(&["google_product_category"]),
        product_type: get(&["product_type"]),
        gtin: get(&["gtin"]),
        mpn: get(&["mpn"]),
        sub_attributes,
        other,
    })
}

fn accept_or_reject(
    ctx: &mut Ctx,
    line: u64,
    pairs: &[(String, String)],
) -> Result<(), FormatError> {
    match product(line, pairs) {
        Ok(p) => ctx.accept(Record::Product(p)),
        Err((c, v, r)) => {
            ctx.reject(line, Some(&c), &v, r);
            Ok(())
        }
    }
}

pub(crate) fn parse(ctx: &mut Ctx, meta: &mut FileMeta) -> Result<(), FormatError> {
    let mut head = None;
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        ctx.structural();
        let description_row = row
            .fields
            .iter()
            .all(|c| c.starts_with("# Required |") || c.starts_with("# Optional |"));
        if !description_row {
            head = Some(row);
            break;
        }
    }
    let Some(head) = head else {
        return Err(ctx.not_this(Format::MerchantCenterFeed, "there is no header row"));
    };
    meta.header = head.fields.clone();
    if !head
        .fields
        .iter()
        .any(|h| norm(h) == "id" || norm(h) == "g:id")
    {
        return Err(ctx.not_this(
            Format::MerchantCenterFeed,
            format!("line {} has no 'id' column", head.line),
        ));
    }
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        let pairs: Vec<(String, String)> = head
            .fields
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), row.get(i).to_string()))
            .collect();
        accept_or_reject(ctx, row.line, &pairs)?;
    }
    Ok(())
}

/// Streams `<item>` (RSS) or `<entry>` (Atom) elements. Nested elements such as
/// `<g:shipping><g:country>US</g:country><g:price>0 USD</g:price></g:shipping>` become a
/// sub-attribute `shipping(country:price)` = `US:0 USD`.
pub(crate) fn xml<R: BufRead>(reader: R, ctx: &mut Ctx) -> Result<(), FormatError> {
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut buf = Vec::new();
    let mut line: u64 = 1;
    let mut item: Option<(u64, Vec<(String, String)>)> = None;
    let mut path: Vec<String> = Vec::new();
    let mut text_acc = String::new();
    let mut nested: Vec<(String, String)> = Vec::new();
    let mut saw_item = false;
    let malformed = |ctx: &Ctx, line: u64, reason: String| FormatError::Malformed {
        file: ctx.file.clone(),
        line,
        reason,
    };
    loop {
        let ev = xml
            .read_event_into(&mut buf)
            .map_err(|e| malformed(ctx, line, format!("the XML is broken: {e}")))?;
        let newlines = |b: &[u8]| b.iter().filter(|c| **c == b'\n').count() as u64;
        match ev {
            XmlEvent::Start(e) => {
                line += newlines(e.as_ref());
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let local = name.trim_start_matches("g:").to_string();
                if item.is_none() && (name == "item" || name == "entry") {
                    item = Some((line, Vec::new()));
                    saw_item = true;
                    path.clear();
                } else if item.is_some() {
                    path.push(local);
                    text_acc.clear();
                }
            }
            XmlEvent::Text(t) => {
                line += newlines(t.as_ref());
                if item.is_some() {
                    let s = t.unescape().map_err(|e| {
                        malformed(ctx, line, format!("the XML text is broken: {e}"))
                    })?;
                    text_acc.push_str(&s);
                }
            }
            XmlEvent::CData(c) => {
                line += newlines(c.as_ref());
                if item.is_some() {
                    text_acc.push_str(&String::from_utf8_lossy(c.as_ref()));
                }
            }
            XmlEvent::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if path.is_empty() && (name == "item" || name == "entry") {
                    if let Some((item_line, mut pairs)) = item.take() {
                        pairs.append(&mut nested);
                        accept_or_reject(ctx, item_line, &pairs)?;
                    }
                } else if let Some((_, pairs)) = item.as_mut() {
                    let leaf = path.pop().unwrap_or_default();
                    let value = std::mem::take(&mut text_acc).trim().to_string();
                    match path.len() {
                        0 if !value.is_empty() || nested.is_empty() => pairs.push((leaf, value)),
                        0 => {
                            // Closing a parent such as <g:shipping>: fold its children.
                            let parts: Vec<(String, String)> = std::mem::take(&mut nested);
                            let names: Vec<&str> = parts.iter().map(|(k, _)| k.as_str()).collect();
                            let values: Vec<&str> = parts.iter().map(|(_, v)| v.as_str()).collect();
                            pairs.push((format!("{leaf}({})", names.join(":")), values.join(":")));
                        }
                        _ => nested.push((leaf, value)),
                    }
                }
            }
            XmlEvent::Comment(c) => line += newlines(c.as_ref()),
            XmlEvent::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_item {
        return Err(ctx.not_this(
            Format::MerchantCenterXml,
            "it has no <item> or <entry> element",
        ));
    }
    Ok(())
}
