"""WeasyPrint in a process of its own: `python -m printing.weasy`, HTML on stdin, PDF on stdout.

The site runs it through printing.pdf with a time limit, so that a document that takes too long
is killed with its process, memory and all, and never holds a web worker. Nothing here imports
Django: the process starts fast and knows only what its arguments say.

Nothing is fetched from the network: the only URLs served are data: URIs and, under the site's
static prefix, files of the static folders given (the stylesheet, the pictograms).
"""

import argparse
import mimetypes
import resource
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from printing import TOO_MANY_PAGES


class StaticFetcher(URLFetcher):
    """Serves data: URIs and the site's own static files; refuses every other address."""

    def __init__(self, prefix, roots):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.prefix = prefix
        self.roots = [Path(root).resolve() for root in roots]

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(self.prefix):
            raise ValueError(f"Not one of the site's static files: {url}")
        relative = unquote(urlsplit(url[len(self.prefix) :]).path)
        for root in self.roots:
            path = (root / relative).resolve()
            if path.is_relative_to(root) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        raise ValueError(f"No such static file: {url}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--static-prefix", required=True)
    parser.add_argument("--static-root", action="append", default=[])
    parser.add_argument("--max-pages", type=int, required=True)
    parser.add_argument("--max-memory-mb", type=int, default=0)
    args = parser.parse_args(argv)
    if args.max_memory_mb:
        limit = args.max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    fetcher = StaticFetcher(args.static_prefix, args.static_root)
    html = sys.stdin.buffer.read().decode("utf-8")
    document = HTML(string=html, base_url=args.base_url, url_fetcher=fetcher).render()
    if len(document.pages) > args.max_pages:
        return TOO_MANY_PAGES
    sys.stdout.buffer.write(document.write_pdf())
    return 0


if __name__ == "__main__":
    sys.exit(main())
