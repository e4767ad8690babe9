//! Shopify order exports: one row per line item, order-level fields only on an order's
//! first row, `Name` starting with `#` (never treated as a comment), `Created at` with its
//! UTC offset, empty strings written `""`, multi-line quoted notes. Rows are grouped into
//! one [`Order`] per consecutive `Name`; memory holds one order at a time.

use super::text;
use crate::records::{LineItem, Order, Record};
use crate::rows::{Ctx, Header, Row};
use crate::values::{
    parse_bool, parse_count, parse_money, parse_timestamp, timestamp_offset_seconds,
};
use crate::{FileMeta, Format, FormatError};

struct Cols {
    name: usize,
    qty: usize,
    h: Header,
}

impl Cols {
    fn get<'r>(&self, row: &'r Row, n: &str) -> &'r str {
        self.h.find(&[n]).map_or("", |i| row.get(i))
    }
}

fn new_order(row: &Row, c: &Cols) -> Result<Order, (String, String, String)> {
    let currency = text(c.get(row, "currency"));
    let money = |n: &str, label: &str| {
        parse_money(c.get(row, n), currency.as_deref())
            .map_err(|r| (label.to_string(), c.get(row, n).to_string(), r))
    };
    let created = c.get(row, "created at");
    let created_at_micros = match text(created) {
        Some(t) => {
            Some(parse_timestamp(&t, false).map_err(|r| ("Created at".to_string(), t.clone(), r))?)
        }
        None => None,
    };
    let accepts = parse_bool(c.get(row, "accepts marketing")).map_err(|r| {
        (
            "Accepts Marketing".to_string(),
            c.get(row, "accepts marketing").to_string(),
            r,
        )
    })?;
    Ok(Order {
        line: row.line,
        name: row.get(c.name).trim().to_string(),
        email: text(c.get(row, "email")),
        financial_status: text(c.get(row, "financial status")),
        fulfillment_status: text(c.get(row, "fulfillment status")),
        accepts_marketing: accepts,
        subtotal: money("subtotal", "Subtotal")?,
        shipping: money("shipping", "Shipping")?,
        taxes: money("taxes", "Taxes")?,
        total: money("total", "Total")?,
        discount_code: text(c.get(row, "discount code")),
        discount_amount: money("discount amount", "Discount Amount")?,
        created_at_micros,
        created_at_offset_seconds: timestamp_offset_seconds(created),
        source: text(c.get(row, "source")),
        currency,
        line_items: Vec::new(),
    })
}

fn line_item(
    row: &Row,
    c: &Cols,
    currency: Option<&str>,
) -> Result<LineItem, (String, String, String)> {
    let q = row.get(c.qty);
    let quantity = parse_count(q)
        .map_err(|r| ("Lineitem quantity".to_string(), q.to_string(), r))?
        .ok_or_else(|| {
            (
                "Lineitem quantity".to_string(),
                q.to_string(),
                "the quantity is empty".to_string(),
            )
        })?;
    let p = c.get(row, "lineitem price");
    Ok(LineItem {
        line: row.line,
        quantity,
        name: c.get(row, "lineitem name").trim().to_string(),
        price: parse_money(p, currency)
            .map_err(|r| ("Lineitem price".to_string(), p.to_string(), r))?,
        sku: text(c.get(row, "lineitem sku")),
        vendor: text(c.get(row, "vendor")),
    })
}

pub(crate) fn parse(ctx: &mut Ctx, meta: &mut FileMeta) -> Result<(), FormatError> {
    let Some(head) = ctx.next_row()? else {
        return Err(ctx.not_this(Format::ShopifyOrders, "it is empty"));
    };
    ctx.structural();
    meta.header = head.fields.clone();
    let h = Header::new(&head.fields);
    let (Some(name), Some(qty)) = (h.find(&["name"]), h.find(&["lineitem quantity"])) else {
        return Err(ctx.not_this(
            Format::ShopifyOrders,
            "line 1 lacks 'Name' or 'Lineitem quantity'",
        ));
    };
    let c = Cols { name, qty, h };
    let mut current: Option<Order> = None;
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        let order_name = row.get(c.name).trim();
        if order_name.is_empty() {
            ctx.reject(row.line, Some("Name"), "", "the order name is empty");
            continue;
        }
        if current.as_ref().is_none_or(|o| o.name != order_name) {
            if let Some(done) = current.take() {
                ctx.emit(Record::Order(done))?;
            }
            match new_order(&row, &c) {
                Ok(o) => {
                    if meta.currency.is_none() {
                        meta.currency = o.currency.clone();
                    }
                    current = Some(o);
                }
                Err((col, v, r)) => {
                    ctx.reject(row.line, Some(&col), &v, r);
                    continue;
                }
            }
        }
        let Some(order) = current.as_mut() else {
            continue;
        };
        match line_item(&row, &c, order.currency.as_deref()) {
            Ok(item) => {
                order.line_items.push(item);
                ctx.row_ok();
            }
            Err((col, v, r)) => ctx.reject(row.line, Some(&col), &v, r),
        }
    }
    if let Some(done) = current.take() {
        ctx.emit(Record::Order(done))?;
    }
    Ok(())
}
