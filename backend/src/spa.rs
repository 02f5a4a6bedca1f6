//! Serves the built single-page app from `frontend/dist`, with a fallback to
//! `index.html` for deep links. Unknown `/api/…` paths get a JSON 404.

use std::path::{Path, PathBuf};

use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::AppError;

/// Registers the static files and the fallback.
pub fn configure(cfg: &mut web::ServiceConfig, dist: &Path) {
    let index = dist.join("index.html");
    let dist_owned: PathBuf = dist.to_path_buf();
    cfg.app_data(web::Data::new(SpaIndex(index)));
    if dist_owned.is_dir() {
        cfg.service(
            actix_files::Files::new("/", dist_owned).index_file("index.html").default_handler(web::to(fallback)),
        );
    } else {
        cfg.default_service(web::to(fallback));
    }
}

struct SpaIndex(PathBuf);

async fn fallback(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let path = req.path();
    if path.starts_with("/api/") || path == "/api" {
        return Err(AppError::NotFound(format!("There is no API endpoint {} {path}.", req.method())));
    }
    let index = req.app_data::<web::Data<SpaIndex>>().map(|i| i.0.clone());
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
