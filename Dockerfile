# Builds the backend and the SPA, then runs them on a slim base.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/build-frontend.sh && cargo build --release -p backend

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/release/backend /app/backend
COPY --from=build /src/frontend/dist /app/frontend/dist
COPY config /app/config
EXPOSE 8080
CMD ["/app/backend", "serve"]
