//! Serves the built single-page apps from `frontend/dist`, with a fallback for
//! deep links: Mina sidor (`mina-sidor-app/index.html`) for `/mina-sidor/…` and
//! `/embed/…`, the handlers' app (`handlaggning-app/index.html`) for
//! `/handlaggning/…`, the service builder (`bygga-app/index.html`) for
//! `/bygga/…`, the applicants' `index.html` for everything else.
//! Unknown `/api/…` paths get a JSON 404.

use std::path::{Path, PathBuf};

use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::AppError;

/// Registers the static files and the fallback.
pub fn configure(cfg: &mut web::ServiceConfig, dist: &Path) {
    let index = SpaIndex {
        applicant: dist.join("index.html"),
        my_pages: dist.join(MY_PAGES_APP).join("index.html"),
        staff: dist.join(STAFF_APP).join("index.html"),
        builder: dist.join(BUILDER_APP).join("index.html"),
    };
    let dist_owned: PathBuf = dist.to_path_buf();
    cfg.app_data(web::Data::new(index));
    if dist_owned.is_dir() {
        cfg.service(
            actix_files::Files::new("/", dist_owned).index_file("index.html").default_handler(web::to(fallback)),
        );
    } else {
        cfg.default_service(web::to(fallback));
    }
}

/// The handlers' app's folder in `dist` (built from `frontend/staff.html`).
const STAFF_APP: &str = "handlaggning-app";
/// The service builder's folder in `dist` (built from `frontend/bygga.html`).
const BUILDER_APP: &str = "bygga-app";
/// Mina sidor's folder in `dist` (built from `frontend/mina-sidor.html`).
const MY_PAGES_APP: &str = "mina-sidor-app";

/// The four apps' pages.
struct SpaIndex {
    applicant: PathBuf,
    my_pages: PathBuf,
    staff: PathBuf,
    builder: PathBuf,
}

impl SpaIndex {
    /// The page of the app that shows `path`.
    fn for_path(&self, path: &str) -> PathBuf {
        let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
        if under("/handlaggning") {
            self.staff.clone()
        } else if under("/bygga") {
            self.builder.clone()
        } else if under("/mina-sidor") || path.starts_with("/embed/") {
            self.my_pages.clone()
        } else {
            self.applicant.clone()
        }
    }
}

async fn fallback(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let path = req.path();
    if path.starts_with("/api/") || path == "/api" {
        return Err(AppError::NotFound(format!("There is no API endpoint {} {path}.", req.method())));
    }
    let index = req.app_data::<web::Data<SpaIndex>>().map(|i| i.for_path(path));
    match index {
        Some(p) if p.is_file() => {
            let html = tokio::fs::read(&p).await.map_err(AppError::internal)?;
            Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").insert_header(("Cache-Control", "no-cache")).body(html))
        }
        _ => Ok(HttpResponse::NotFound().content_type("text/html; charset=utf-8").body(
            "<!doctype html><html lang=\"en\"><title>Frontend not built</title><main><h1>The web app is not built</h1>\
             <p>Run <code>scripts/build-frontend.sh</code>, or use the API at <a href=\"/api/docs/\">/api/docs/</a>.</p></main></html>",
        )),
    }
}
