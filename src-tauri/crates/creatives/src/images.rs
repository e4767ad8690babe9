//! Product images from local files only: a path in the feed (`file://` or a
//! plain path), or a file in the images folder the user chose, named like the
//! last part of the feed's image link or like the product id (`SKU-10000.jpg`).
//! The app never fetches an image from the network; a file is used only if
//! its first bytes say PNG or JPEG, and it is embedded as a `data:` URL.

use std::io::Read;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::picks::Product;

/// Larger files are not embedded (a product photo is a few hundred KB).
pub const MAX_IMAGE_BYTES: u64 = 15 * 1024 * 1024;

/// Where a product's image came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImageOrigin {
    /// A local PNG or JPEG file.
    File { path: String },
    /// No usable local file; a clean placeholder was drawn. `reason` says why.
    Placeholder { reason: String },
}

#[derive(Debug, Clone)]
pub struct ResolvedImage {
    pub data_url: Option<String>,
    pub origin: ImageOrigin,
}

fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

fn is_remote(link: &str) -> bool {
    let lower = link.trim().to_ascii_lowercase();
    lower.contains("://") && !lower.starts_with("file://")
}

fn candidates(product: &Product, folder: Option<&Path>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(link) = product
        .image_link
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        if let Some(path) = link.strip_prefix("file://") {
            out.push(PathBuf::from(path));
        } else if !is_remote(link) {
            let path = PathBuf::from(link);
            if path.is_absolute() {
                out.push(path);
            } else if let Some(folder) = folder {
                out.push(folder.join(path));
            }
        }
        if let Some(folder) = folder {
            let last = link
                .split(['?', '#'])
                .next()
                .unwrap_or("")
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("");
            if !last.is_empty() && last != "." && last != ".." {
                out.push(folder.join(last));
            }
        }
    }
    if let Some(folder) = folder {
        for ext in ["jpg", "jpeg", "png"] {
            let name = format!("{}.{ext}", product.external_id);
            if !name.contains(['/', '\\']) {
                out.push(folder.join(name));
            }
        }
    }
    out
}

/// Finds the product's image among local files.
pub fn resolve(product: &Product, folder: Option<&Path>) -> ResolvedImage {
    let mut rejected: Option<String> = None;
    for path in candidates(product, folder) {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        if meta.len() > MAX_IMAGE_BYTES {
            rejected = Some(format!("{} is larger than 15 MB", path.display()));
            continue;
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        if std::fs::File::open(&path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .is_err()
        {
            rejected = Some(format!("{} cannot be read", path.display()));
            continue;
        }
        match sniff(&bytes) {
            Some(mime) => {
                return ResolvedImage {
                    data_url: Some(format!(
                        "data:{mime};base64,{}",
                        base64::engine::general_purpose::STANDARD.encode(&bytes)
                    )),
                    origin: ImageOrigin::File {
                        path: path.display().to_string(),
                    },
                }
            }
            None => rejected = Some(format!("{} is not a PNG or JPEG file", path.display())),
        }
    }
    let reason = match (&product.image_link, rejected, folder) {
        (_, Some(r), _) => r,
        (None, None, _) => "the feed has no image for this product".to_string(),
        (Some(_), None, None) => "no images folder chosen; images are never downloaded".to_string(),
        (Some(link), None, Some(folder)) => format!(
            "no local file for {link} in {}; images are never downloaded",
            folder.display()
        ),
    };
    ResolvedImage {
        data_url: None,
        origin: ImageOrigin::Placeholder { reason },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(link: Option<&str>) -> Product {
        Product {
            id: 1,
            external_id: "SKU-1".into(),
            title: "Camera".into(),
            description: None,
            price_minor: Some(100),
            currency: Some("USD".into()),
            availability: Some("in_stock".into()),
            link: Some("https://shop.example/p".into()),
            image_link: link.map(str::to_string),
            brand: None,
            category: None,
        }
    }

    const PNG_1X1: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0,
        0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 13, 0x49, 0x44, 0x41,
        0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0, 0x05, 0, 0x01, 0xFF, 0x89, 0x99,
        0x3D, 0x1D, 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn a_remote_link_is_matched_to_a_local_file_by_name_and_never_fetched() {
        let dir = tempfile::tempdir().unwrap();
        let p = product(Some("https://shop.example/images/camera.png?v=2"));
        let none = resolve(&p, None);
        assert!(none.data_url.is_none());
        assert!(
            matches!(none.origin, ImageOrigin::Placeholder { ref reason } if reason.contains("never downloaded"))
        );
        std::fs::write(dir.path().join("camera.png"), PNG_1X1).unwrap();
        let found = resolve(&p, Some(dir.path()));
        assert!(found
            .data_url
            .unwrap()
            .starts_with("data:image/png;base64,"));
    }

    #[test]
    fn files_that_are_not_png_or_jpeg_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("SKU-1.jpg"), b"<svg onload=alert(1)>").unwrap();
        let r = resolve(&product(None), Some(dir.path()));
        assert!(r.data_url.is_none());
        assert!(
            matches!(r.origin, ImageOrigin::Placeholder { ref reason } if reason.contains("not a PNG or JPEG"))
        );
        std::fs::write(dir.path().join("SKU-1.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).unwrap();
        let r = resolve(&product(None), Some(dir.path()));
        assert!(r.data_url.unwrap().starts_with("data:image/jpeg;base64,"));
    }

    #[test]
    fn feed_paths_are_used_directly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.png");
        std::fs::write(&path, PNG_1X1).unwrap();
        let link = format!("file://{}", path.display());
        assert!(resolve(&product(Some(&link)), None).data_url.is_some());
        assert!(resolve(&product(Some(&path.display().to_string())), None)
            .data_url
            .is_some());
    }
}
