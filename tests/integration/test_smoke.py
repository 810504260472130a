from __future__ import annotations


def test_landing_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"LPN Portal" in response.data


def test_login_and_home(client, make_city, make_user, login):
    city = make_city(name="Testgrad")
    user = make_user("member", city=city)
    login(user)
    response = client.get("/cities")
    assert "Testgrad" in response.get_data(as_text=True)
    response = client.get(f"/c/{city.slug}/")
    assert response.status_code == 200
