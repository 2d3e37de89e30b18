import java.net.http.*;
import java.time.*;
import org.wirelab.display.*;
import org.wirelab.dissect.*;
import org.wirelab.lifecycle.*;
import org.wirelab.tap.*;
