import { describe, expect, it } from "vitest";
import { escapeLike } from "./audit";

describe("escapeLike", () => {
  it("escapes LIKE wildcards and the escape character", () => {
    expect(escapeLike("100%")).toBe("100\\%");
    expect(escapeLike("user_name")).toBe("user\\_name");
    expect(escapeLike("a\\b")).toBe("a\\\\b");
    expect(escapeLike("%_\\")).toBe("\\%\\_\\\\");
  });

  it("leaves ordinary text alone", () => {
    expect(escapeLike("user.create")).toBe("user.create");
    expect(escapeLike("")).toBe("");
  });
});
