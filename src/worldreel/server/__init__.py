"""The job server: OpenAI's Videos API (`/v1/videos`) served locally, and the web studio at `/`.

    from worldreel.server import create_app, ServerSettings
    app = create_app(ServerSettings(data_dir=Path("data"), workers=2))

Code written against OpenAI's Videos API talks to it unchanged but for `base_url`. The server
only translates HTTP to the request model (pipeline.request) and the job store (jobs); it holds
no logic of its own beyond I/O.
"""

from worldreel.server.app import create_app
from worldreel.server.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]
