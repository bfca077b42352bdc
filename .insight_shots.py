import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
import django; django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
from playwright.sync_api import sync_playwright

def session_for(email):
    u = User.objects.get(email=email)
    s = SessionStore()
    s[SESSION_KEY] = str(u.pk); s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create()
    return s.session_key

shots = [a.split("=", 1) for a in sys.argv[1:]]
with sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless","--no-sandbox","--disable-gpu","--disable-quic","--no-first-run","--disable-background-networking","--disable-component-update","--disable-sync"])
    for spec, url in shots:
        email, width, name = spec.split(",")
        ctx = b.new_context(viewport={"width": int(width), "height": 800})
        ctx.add_cookies([{"name": "sessionid", "value": session_for(email), "url": "http://127.0.0.1:39479"}])
        page = ctx.new_page()
        errs = []
        page.on("console", lambda m: errs.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errs.append(str(e)))
        r = page.goto("http://127.0.0.1:39479" + url)
        page.wait_for_timeout(1500)
        sw = page.evaluate("document.documentElement.scrollWidth")
        print(name, r.status, "scrollWidth", sw, "errors", errs[:3])
        page.screenshot(path=f"/tmp/shot_{name}.png", full_page=True)
        ctx.close()
    b.close()
