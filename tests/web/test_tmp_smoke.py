def test_smoke(page, world, signed_in):
    for user, urls in {
        "sysadmin": ["/console", "/console/organisations", "/console/organisations/new", "/console/organisations/1",
                     "/console/organisations/2/edit", "/console/outbox", "/console/users", "/console/catalog",
                     "/console/catalog/hs", "/console/catalog/hs?q=coffee", "/console/catalog/hs/0901",
                     "/console/catalog/countries?q=USA", "/console/catalog/hazards", "/console/catalog/channels",
                     "/console/catalog/warnings", "/console/catalog/places", "/console/account",
                     "/console/account/password", "/console/account/tokens", "/console/inbox", "/"],
        "secadmin": ["/console/users", "/console/users/new", "/console/users/4", "/console/users/4/edit",
                     "/console/users/4/roles", "/console/users/4/password"],
        "auditor": ["/console/audit", "/console/audit?since=2020-01-01&until=2099-01-01", "/console/audit/verify"],
    }.items():
        page.cookies.clear()
        signed_in(user)
        for url in urls:
            r = page.get(url)
            assert r.status_code == 200, (url, r.text[-2000:])
