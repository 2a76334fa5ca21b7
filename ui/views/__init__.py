"""The main views: home, article, law notes, referral pathway."""
