SECRET_KEY = "xVcAzVloHeyvy3UrTbmFupYgoi3WnWfP"
password = "ySXUupgA7axdWp"
