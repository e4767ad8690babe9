//! Formats without a real sample in `shared/data/exports` (Retailrocket, GA4 NDJSON,
//! contact lists, generic mappings, XLSX) on small files written here, plus overrides,
//! refusal, cancellation and progress.

use rebound_formats::*;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::ops::ControlFlow;

fn run(bytes: &[u8], opts: ParseOptions) -> Result<(ParseSummary, Vec<Record>), FormatError> {
    let mut records = Vec::new();
    let s = parse(Cursor::new(bytes.to_vec()), &opts, |r| {
        records.push(r);
        ControlFlow::Continue(())
    })?;
    assert_eq!(
        s.counts.rows_read,
        s.counts.rows_ok + s.counts.rows_rejected
    );
    Ok((s, records))
}

fn named(name: &str) -> ParseOptions {
    ParseOptions {
        file_name: name.into(),
        ..ParseOptions::default()
    }
}

fn events(records: &[Record]) -> Vec<&Event> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[test]
fn retailrocket_events() {
    let file = b"timestamp,visitorid,event,itemid,transactionid\n1433221332117,257597,view,355908,\n1433224214164,992329,addtocart,248676,\n1433222147345,287857,transaction,5206,4000\nnot-a-time,1,view,2,\n";
    let (s, records) = run(file, named("events.csv")).unwrap();
    assert_eq!(s.format, Format::RetailrocketEvents);
    let e = events(&records);
    assert_eq!(e.len(), 3);
    assert_eq!(e[0].timestamp_micros, 1_433_221_332_117_000);
    assert_eq!(e[0].visitor_id.as_deref(), Some("257597"));
    let names: Vec<&str> = e.iter().map(|x| x.event_name.as_str()).collect();
    assert_eq!(names, ["view_item", "add_to_cart", "purchase"]);
    assert_eq!(e[2].transaction_id.as_deref(), Some("4000"));
    assert_eq!(s.rejections.len(), 1);
    assert_eq!(
        (s.rejections[0].line, s.rejections[0].column.as_deref()),
        (5, Some("timestamp"))
    );
}

#[test]
fn ga4_bigquery_ndjson() {
    let file = concat!(
        r#"{"event_date":"20210131","event_timestamp":"1612069510766593","event_name":"view_item","event_params":[{"key":"ga_session_id","value":{"int_value":"661084800"}},{"key":"page_location","value":{"string_value":"https://shop.example/p/1"}},{"key":"currency","value":{"string_value":"USD"}},{"key":"value","value":{"double_value":12.99}}],"user_pseudo_id":"1026454.4271112504","user_id":null,"device":{"category":"mobile","operating_system":"iOS","web_info":{"browser":"Safari"}},"traffic_source":{"source":"google"},"items":[{"item_id":"9180915","item_name":"Tee","item_brand":"Acme","item_category":"Apparel","price":12.99,"quantity":1}]}"#,
        "\n",
        r#"{"event_timestamp":1612069600000000,"event_name":"purchase","user_pseudo_id":"1026454.4271112504","user_id":"u-7","event_params":[{"key":"transaction_id","value":{"string_value":"T1"}}],"items":[]}"#,
        "\n",
        "{broken\n",
        r#"{"event_name":"page_view"}"#,
    );
    let (s, records) = run(file.as_bytes(), named("ga4.json")).unwrap();
    assert_eq!(s.format, Format::Ga4BigQueryNdjson);
    let e = events(&records);
    assert_eq!(e.len(), 2);
    assert_eq!(e[0].timestamp_micros, 1_612_069_510_766_593);
    assert_eq!(e[0].session_id.as_deref(), Some("661084800"));
    assert_eq!(e[0].device.as_deref(), Some("mobile"));
    assert_eq!(e[0].device_os.as_deref(), Some("iOS"));
    assert_eq!(e[0].device_browser.as_deref(), Some("Safari"));
    assert_eq!(e[0].source.as_deref(), Some("google"));
    assert_eq!(e[0].product_id.as_deref(), Some("9180915"));
    assert_eq!(
        e[0].price,
        Some(Money {
            minor: 1_299,
            currency: Some("USD".into())
        })
    );
    assert_eq!(e[0].items[0].price.as_ref().unwrap().minor, 1_299);
    assert_eq!(e[0].user_id, None);
    assert_eq!(e[1].user_id.as_deref(), Some("u-7"));
    assert_eq!(e[1].transaction_id.as_deref(), Some("T1"));
    let lines: Vec<u64> = s.rejections.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 4]);
}

#[test]
fn contact_list_with_consent_per_channel() {
    let file = b"Email,First name,Phone,Email consent,SMS opt-in,Push subscribed\nAda@Example.com,Ada,+441234,yes,no,\nbob@example.com,Bob,,TRUE,maybe,1\nnot-an-email,Cy,,yes,yes,yes\n";
    let (s, records) = run(file, named("contacts.csv")).unwrap();
    assert_eq!(s.format, Format::ContactList);
    assert_eq!((s.counts.rows_ok, s.counts.rows_rejected), (1, 2));
    let Record::Contact(c) = &records[0] else {
        panic!("not a contact")
    };
    assert_eq!(c.email.as_deref(), Some("ada@example.com"));
    let consents: Vec<(Channel, bool)> =
        c.consents.iter().map(|x| (x.channel, x.granted)).collect();
    assert_eq!(consents, [(Channel::Email, true), (Channel::Sms, false)]);
    assert_eq!(s.rejections[0].column.as_deref(), Some("SMS opt-in"));
    assert_eq!(s.rejections[0].line, 3);
    assert_eq!(s.rejections[1].line, 4);
}

fn shop_mapping(fingerprint: String) -> ColumnMapping {
    let columns: BTreeMap<EventField, String> = [
        (EventField::Timestamp, "when"),
        (EventField::VisitorId, "who"),
        (EventField::EventName, "what"),
        (EventField::ProductId, "sku"),
        (EventField::Price, "amount"),
    ]
    .into_iter()
    .map(|(f, c)| (f, c.to_string()))
    .collect();
    ColumnMapping {
        name: "shop log".into(),
        fingerprint,
        columns,
        timestamp: TimestampFormat::UnixSeconds,
        currency: Some("EUR".into()),
        event_names: [("pv".to_string(), "page_view".to_string())]
            .into_iter()
            .collect(),
    }
}

#[test]
fn generic_csv_goes_through_a_saved_mapping() {
    let file = b"when;who;what;sku;amount\n1700000000;v1;pv;;\n1700000060;v1;addtocart;A-1;19,99\n1700000090;;purchase;A-1;19.99\n1700000100;v2;view;B;abc\n";
    let p = preview(Cursor::new(file.to_vec()), 2).unwrap();
    assert_eq!(p.detection.format, Format::GenericCsv);
    assert_eq!(p.header, ["when", "who", "what", "sku", "amount"]);
    assert_eq!(p.rows.len(), 2);
    let err = run(file, named("log.csv")).unwrap_err();
    assert!(matches!(err, FormatError::NeedsMapping { .. }), "{err}");

    let opts = ParseOptions {
        saved_mappings: vec![shop_mapping(p.fingerprint.clone())],
        ..named("log.csv")
    };
    let (s, records) = run(file, opts).unwrap();
    let e = events(&records);
    assert_eq!(e.len(), 2, "{:?}", s.rejections);
    assert_eq!(e[0].event_name, "page_view");
    assert_eq!(e[0].timestamp_micros, 1_700_000_000_000_000);
    assert_eq!(
        e[1].price,
        Some(Money {
            minor: 1_999,
            currency: Some("EUR".into())
        }),
        "decimal comma"
    );
    assert_eq!(s.rejections.len(), 2);
    assert_eq!(s.rejections[0].reason, "the row has no person id");
    assert_eq!(
        (s.rejections[1].line, s.rejections[1].column.as_deref()),
        (5, Some("amount"))
    );
    // Same header with other case and spaces: same fingerprint.
    assert_eq!(
        header_fingerprint(&[" When".into(), "WHO".into()]),
        header_fingerprint(&["when".into(), "who".into()])
    );
}

#[test]
fn generic_jsonl_with_an_explicit_mapping() {
    let file = b"{\"when\":1700000000,\"who\":\"v9\",\"what\":\"view\",\"sku\":\"B\",\"amount\":\"5.00\"}\n{\"when\":1700000001,\"who\":\"v9\",\"what\":\"cart\",\"sku\":\"B\",\"amount\":5}\n";
    let opts = ParseOptions {
        mapping: Some(shop_mapping(String::new())),
        ..named("log.jsonl")
    };
    let (s, records) = run(file, opts).unwrap();
    assert_eq!(s.format, Format::GenericJsonl);
    let e = events(&records);
    assert_eq!(e.len(), 2);
    assert_eq!(e[1].event_name, "add_to_cart");
    assert_eq!(
        e[1].price,
        Some(Money {
            minor: 500,
            currency: Some("EUR".into())
        })
    );
}

#[test]
fn a_file_that_is_not_what_the_user_says_is_refused() {
    let gsc = b"Date,Clicks,Impressions,CTR,Position\n2025-01-01,1,2,50%,3\n";
    let opts = ParseOptions {
        format: Some(Format::ShopifyOrders),
        ..named("Chart.csv")
    };
    let err = run(gsc, opts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Chart.csv is not a Shopify order export file: line 1 lacks 'Name' or 'Lineitem quantity'"
    );
    let opts = ParseOptions {
        format: Some(Format::GoogleAdsReport),
        ..named("Chart.csv")
    };
    assert!(matches!(
        run(gsc, opts),
        Err(FormatError::NotThisFormat { .. })
    ));
    let err = run(b"\x00\x01\x02garbage", named("x.bin")).unwrap_err();
    assert!(matches!(err, FormatError::Unrecognised { .. }), "{err}");
}

#[test]
fn the_user_can_override_detection() {
    // A contact list without consent columns is a generic CSV to the sniffer; the user
    // says it is a contact list.
    let file = b"email,name\na@b.example,A\n";
    assert_eq!(sniff(file).format, Format::GenericCsv);
    let opts = ParseOptions {
        format: Some(Format::ContactList),
        ..named("list.csv")
    };
    let (s, records) = run(file, opts).unwrap();
    assert_eq!(s.format, Format::ContactList);
    assert_eq!(s.detection.format, Format::GenericCsv);
    assert_eq!(records.len(), 1);
}

#[test]
fn cancel_and_progress() {
    let mut file = b"timestamp,visitorid,event,itemid,transactionid\n".to_vec();
    for i in 0..5_000 {
        file.extend_from_slice(
            format!("{},{},view,{},\n", 1_433_221_332_117u64 + i, i, i).as_bytes(),
        );
    }
    let progress = Progress::new();
    let opts = ParseOptions {
        progress: Some(progress.clone()),
        ..named("big.csv")
    };
    let mut seen = 0;
    let err = parse(Cursor::new(file.clone()), &opts, |_| {
        seen += 1;
        if seen == 10 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "the import of big.csv was cancelled");
    assert_eq!(seen, 10);
    let progress = Progress::new();
    let opts = ParseOptions {
        progress: Some(progress.clone()),
        ..named("big.csv")
    };
    let s = parse(Cursor::new(file.clone()), &opts, |_| {
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(s.bytes_read, file.len() as u64);
    assert_eq!(progress.bytes_read(), file.len() as u64);
    assert_eq!(s.counts.rows_ok, 5_000);
}

#[test]
fn utf16_without_bom_and_crlf() {
    let text = "Campaign report\r\nAll time\r\nCampaign\tImpr.\tCost\tCurrency code\r\nBrand\t\"1,234\"\t10.50\tJPY\r\nTotal: Campaigns\t\"1,234\"\t10.50\tJPY";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let (s, records) = run(&bytes, named("report.csv")).unwrap();
    assert_eq!(s.format, Format::GoogleAdsReport);
    assert_eq!(s.detection.encoding, "UTF-16LE");
    let Record::CampaignMetrics(m) = &records[0] else {
        panic!("not metrics")
    };
    assert_eq!(m.impressions, Some(1_234));
    assert_eq!(
        m.cost,
        Some(Money {
            minor: 11,
            currency: Some("JPY".into())
        }),
        "JPY has no minor unit"
    );
    assert_eq!(s.meta.totals.len(), 1);
    assert_eq!(s.counts.rows_ok, 1);
}

#[test]
fn google_ads_bad_cell_is_rejected_with_its_column() {
    let file = b"Campaign report\nAll time\nCampaign,Clicks,Cost\nA,1,2.00\nB,3,\"1,2x\"\n";
    let (s, _) = run(file, named("campaign_report.csv")).unwrap();
    assert_eq!((s.counts.rows_ok, s.counts.rows_rejected), (1, 1));
    assert_eq!(
        s.rejections[0].message("campaign_report.csv"),
        "cannot read line 5 of campaign_report.csv: column Cost: '1,2x' is not an amount of money"
    );
}

#[test]
fn xlsx_first_sheet_goes_through_the_same_parsers() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 5]; 3] = [
        ["Top queries", "Clicks", "Impressions", "CTR", "Position"],
        ["garden shed", "12", "400", "3%", "4.5"],
        ["οδοντίατρος", "1", "10", "10%", "2"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(n) if r > 0 => sheet.write_number(r as u32, c as u16, n).map(|_| ()),
                _ => sheet.write_string(r as u32, c as u16, *cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    assert_eq!(sniff(&bytes).format, Format::Xlsx);
    let (s, records) = run(&bytes, named("queries.xlsx")).unwrap();
    assert_eq!(s.format, Format::SearchConsolePerformance);
    assert!(s.detection.evidence[0].contains("Excel workbook"));
    let Record::GscRow(g) = &records[1] else {
        panic!("not a GSC row")
    };
    assert_eq!(
        (g.key.as_str(), g.clicks, g.impressions, g.ctr),
        ("οδοντίατρος", 1, 10, Some(0.1))
    );
    assert_eq!(g.line, 3);
    let Record::GscRow(g) = &records[0] else {
        panic!("not a GSC row")
    };
    assert_eq!(g.position, Some(4.5));
}

#[test]
fn merchant_center_xml_feed() {
    let file = r#"<?xml version="1.0"?>
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0">
<channel>
<title>Shop</title>
<item>
  <g:id>TG-1</g:id>
  <g:title><![CDATA[Plate & Stand]]></g:title>
  <g:price>4.50 USD</g:price>
  <g:availability>in_stock</g:availability>
  <g:shipping>
    <g:country>US</g:country>
    <g:price>0 USD</g:price>
  </g:shipping>
</item>
<item>
  <g:id>TG-2</g:id>
  <g:price>four USD</g:price>
</item>
<item>
  <g:id>TG-3</g:id>
  <g:price>1.234,50 EUR</g:price>
  <g:availability>out of stock</g:availability>
</item>
</channel>
</rss>
"#;
    let (s, records) = run(file.as_bytes(), named("feed.xml")).unwrap();
    assert_eq!(s.format, Format::MerchantCenterXml);
    assert_eq!((s.counts.rows_ok, s.counts.rows_rejected), (2, 1));
    assert_eq!(
        (s.rejections[0].line, s.rejections[0].column.as_deref()),
        (15, Some("price"))
    );
    let Record::Product(p) = &records[0] else {
        panic!("not a product")
    };
    assert_eq!(p.line, 5);
    assert_eq!(p.title.as_deref(), Some("Plate & Stand"));
    assert_eq!(
        p.price,
        Some(Money {
            minor: 450,
            currency: Some("USD".into())
        })
    );
    assert_eq!(p.availability, Some(Availability::InStock));
    assert_eq!(p.sub_attributes[0].attribute, "shipping");
    assert_eq!(
        p.sub_attributes[0].parts,
        [
            ("country".to_string(), "US".to_string()),
            ("price".to_string(), "0 USD".to_string())
        ]
    );
    let Record::Product(p) = &records[1] else {
        panic!("not a product")
    };
    assert_eq!(
        p.price,
        Some(Money {
            minor: 123_450,
            currency: Some("EUR".into())
        })
    );
    assert_eq!(p.availability, Some(Availability::OutOfStock));
}

/// An endless event log: a parser that buffered the whole file would never return.
struct EndlessLog {
    next: u64,
    pending: Vec<u8>,
}

impl std::io::Read for EndlessLog {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            if self.next == 0 {
                self.pending
                    .extend_from_slice(b"timestamp,visitorid,event,itemid,transactionid\n");
            }
            for _ in 0..100 {
                self.next += 1;
                self.pending.extend_from_slice(
                    format!(
                        "{},{},view,{},\n",
                        1_433_221_332_117u64 + self.next,
                        self.next,
                        self.next % 977
                    )
                    .as_bytes(),
                );
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

#[test]
fn parsing_streams_an_endless_file() {
    let progress = Progress::new();
    let opts = ParseOptions {
        progress: Some(progress.clone()),
        ..named("endless.csv")
    };
    let mut seen = 0u64;
    let err = parse(
        EndlessLog {
            next: 0,
            pending: Vec::new(),
        },
        &opts,
        |_| {
            seen += 1;
            if seen == 200_000 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    )
    .unwrap_err();
    assert!(matches!(err, FormatError::Cancelled { .. }));
    // Only a bounded read-ahead past the 200,000th row (about 8 MB of rows) was consumed.
    let read = progress.bytes_read();
    assert!(read > 5_000_000 && read < 9_000_000, "{read}");
}
