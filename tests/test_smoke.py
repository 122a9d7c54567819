def test_landing(client):
    assert client.get("/").status_code == 200
