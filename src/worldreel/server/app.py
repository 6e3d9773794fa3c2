"""The FastAPI app: the Videos API routes (server.routes) over one Service and its job store,
the limits and error shapes every request gets, the workers' lifespan, and the studio's files.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from worldreel.errors import WorldReelError
from worldreel.jobs.store import JobStore
from worldreel.jobs.workers import Workers
from worldreel.server.errors import (APIError, api_error, http_error, validation_error,
                                     worldreel_error)
from worldreel.server.limits import BodyLimit
from worldreel.server.routes import router
from worldreel.server.service import Service
from worldreel.server.settings import ServerSettings

STATIC = Path(__file__).with_name("static")


def create_app(settings: ServerSettings = ServerSettings()) -> FastAPI:
    """The server's app. Its workers start and stop with the app's lifespan."""
    store = JobStore(Path(settings.data_dir))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        store.recover()  # what a killed server left: queued again, or completed if published
        workers = Workers(Path(settings.data_dir), settings.workers)
        workers.start()
        try:
            yield
        finally:
            workers.stop()

    app = FastAPI(title="WorldReel", summary="OpenAI's Videos API, served by simulation.",
                  lifespan=lifespan, docs_url="/docs", redoc_url=None)
    app.state.service = Service(store, settings)
    app.add_exception_handler(APIError, api_error)
    app.add_exception_handler(WorldReelError, worldreel_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_middleware(BodyLimit, json_bytes=settings.max_json_bytes,
                       upload_bytes=settings.max_upload_bytes)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware  # noqa: PLC0415

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["*"], allow_headers=["*"])
    app.include_router(router)
    if settings.studio and STATIC.is_dir():
        app.mount("/", StaticFiles(directory=STATIC, html=True), name="studio")
    return app
